package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;

class ImapSessionTest {
    @TempDir
    Path dir;
    ImapTestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private ImapClient loggedIn() throws Exception {
        server = new ImapTestServer(dir, Role.IMAPS);
        ImapClient c = ImapClient.implicitTls(server.port(), server.tls.trusting);
        assertThat(c.readResponse()).startsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2").contains("AUTH=PLAIN");
        c.login();
        return c;
    }

    @Test
    void loginOnlyInsideTls() throws Exception {
        server = new ImapTestServer(dir, Role.IMAP);
        try (ImapClient c = new ImapClient(server.port())) {
            String greeting = c.readResponse();
            assertThat(greeting).contains("STARTTLS").contains("LOGINDISABLED").doesNotContain("AUTH=");
            List<String> r = c.command("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD);
            assertThat(r.get(0)).matches("a1 NO \\[PRIVACYREQUIRED\\].*");
            assertThat(c.command("SELECT INBOX").get(0)).matches("a2 BAD .*");
            c.ok("STARTTLS");
            c.upgrade(server.tls.trusting);
            List<String> caps = c.ok("CAPABILITY");
            assertThat(caps.get(0)).contains("AUTH=SCRAM-SHA-256").doesNotContain("STARTTLS");
            assertThat(c.command("LOGIN " + ImapTestServer.USER + " wrong").get(0)).matches("a\\d+ NO \\[AUTHENTICATIONFAILED\\].*");
            List<String> ok = c.ok("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD);
            assertThat(ok.get(0)).contains("[CAPABILITY").contains("MOVE").contains("CONDSTORE");
        }
    }

    @Test
    void authenticatePlainWithInitialResponse() throws Exception {
        server = new ImapTestServer(dir, Role.IMAPS);
        try (ImapClient c = ImapClient.implicitTls(server.port(), server.tls.trusting)) {
            c.readResponse();
            String ir = java.util.Base64.getEncoder().encodeToString(("\0" + ImapTestServer.USER + "\0"
                    + ImapTestServer.PASSWORD).getBytes());
            c.ok("AUTHENTICATE PLAIN " + ir);
            c.ok("SELECT INBOX");
        }
    }

    @Test
    void selectFetchStoreExpunge() throws Exception {
        try (ImapClient c = loggedIn()) {
            server.deliver("", "1000.M1P1Q1.h", "From: Bob <bob@example.net>\nSubject: Hello\n\nHi there\n");
            server.deliver("", "1000.M1P1Q2.h", "From: Carol <carol@example.net>\nSubject: Second\n\nMore\n");
            List<String> sel = c.ok("SELECT INBOX");
            assertThat(sel).contains("* 2 EXISTS", "* 0 RECENT").anyMatch(l -> l.startsWith("* OK [UIDVALIDITY "))
                    .anyMatch(l -> l.equals("* OK [UIDNEXT 3] Predicted next UID"));
            assertThat(sel.get(sel.size() - 1)).contains("[READ-WRITE]");
            List<String> f = c.ok("FETCH 1:2 (UID FLAGS RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])");
            assertThat(f.get(0)).isEqualTo("* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 57 BODY[HEADER.FIELDS (SUBJECT)] {18}\r\nSubject: Hello\r\n\r\n)");
            List<String> body = c.ok("UID FETCH 2 (BODY[TEXT])");
            assertThat(body.get(0)).isEqualTo("* 2 FETCH (UID 2 BODY[TEXT] {6}\r\nMore\r\n FLAGS (\\Seen))");
            List<String> store = c.ok("STORE 1 +FLAGS (\\Deleted \\Flagged)");
            assertThat(store.get(0)).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Flagged \\Deleted))");
            List<String> exp = c.ok("EXPUNGE");
            assertThat(exp).containsExactly("* 1 EXPUNGE", exp.get(1));
            List<String> search = c.ok("UID SEARCH ALL");
            assertThat(search.get(0)).isEqualTo("* SEARCH 2");
            assertThat(Files.list(server.maildir().resolve("cur")).map(p -> p.getFileName().toString()).toList())
                    .containsExactly("1000.M1P1Q2.h,S=54,W=58:2,S");
        }
    }

    @Test
    void envelopeAndBodystructure() throws Exception {
        try (ImapClient c = loggedIn()) {
            server.deliver("", "1000.M1P1Q1.h", "From: Bob <bob@example.net>\nTo: alice@example.org\n"
                    + "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\nDate: Wed, 2 Dec 2026 10:00:00 +0100\n"
                    + "Message-ID: <1@example.net>\nContent-Type: text/plain; charset=utf-8\n\nHallo\n");
            c.ok("SELECT INBOX");
            List<String> f = c.ok("FETCH 1 (ENVELOPE BODYSTRUCTURE)");
            assertThat(f.get(0)).startsWith("* 1 FETCH (ENVELOPE (\"Wed, 2 Dec 2026 10:00:00 +0100\" \"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\" ((\"Bob\" NIL \"bob\" \"example.net\"))")
                    .contains("BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 7 1");
        }
    }

    @Test
    void appendThenFetchWholeMessage() throws Exception {
        try (ImapClient c = loggedIn()) {
            String msg = "Subject: appended\r\n\r\nbody line\r\n";
            c.send("a9 APPEND Drafts (\\Draft) {" + msg.length() + "}");
            assertThat(c.readResponse()).startsWith("+ ");
            c.sendRaw((msg + "\r\n").getBytes());
            List<String> r = c.until("a9");
            assertThat(r.get(r.size() - 1)).matches("a9 OK \\[APPENDUID \\d+ 1\\] APPEND completed");
            c.ok("ENABLE IMAP4rev2"); // no \\Recent
            c.ok("SELECT Drafts");
            List<String> f = c.ok("UID FETCH 1 (FLAGS BODY.PEEK[])");
            assertThat(f.get(0)).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Draft) BODY[] {" + msg.length() + "}\r\n" + msg + ")");
            assertThat(c.command("APPEND Nowhere {1+}\r\nx").get(0)).matches("a\\d+ NO \\[TRYCREATE\\].*");
        }
    }

    @Test
    void idleHearsANewDeliveryAtOnce() throws Exception {
        try (ImapClient c = loggedIn()) {
            c.ok("SELECT INBOX");
            String tag = c.nextTag();
            c.send(tag + " IDLE");
            assertThat(c.readResponse()).startsWith("+ ");
            long start = System.nanoTime();
            server.deliver("", "1000.M1P1Q9.h", "Subject: new\n\nx\n");
            assertThat(c.readResponse()).isEqualTo("* 1 EXISTS");
            assertThat(System.nanoTime() - start).isLessThan(1_000_000_000L);
            assertThat(c.readResponse()).isEqualTo("* 1 RECENT"); // an IMAP4rev1 client
            c.send("DONE");
            assertThat(c.until(tag).get(0)).startsWith(tag + " OK");
        }
    }

    @Test
    void idleHearsOtherSessionsFlagChangesAndExpungesThenCarriesOn() throws Exception {
        try (ImapClient idler = loggedIn(); ImapClient other = ImapClient.implicitTls(server.port(), server.tls.trusting)) {
            other.login();
            server.deliver("", "1000.M1P1Q1.h", "Subject: a\n\nx\n");
            server.deliver("", "1000.M1P1Q2.h", "Subject: b\n\nx\n");
            idler.ok("ENABLE IMAP4rev2");
            idler.ok("SELECT INBOX");
            String tag = idler.nextTag();
            idler.send(tag + " IDLE");
            assertThat(idler.readResponse()).startsWith("+ ");
            other.ok("SELECT INBOX");
            other.ok("STORE 2 +FLAGS (\\Flagged)");
            assertThat(idler.readResponse()).isEqualTo("* 2 FETCH (UID 2 FLAGS (\\Flagged))");
            other.ok("STORE 1 +FLAGS (\\Deleted)");
            assertThat(idler.readResponse()).isEqualTo("* 1 FETCH (UID 1 FLAGS (\\Deleted))");
            other.ok("EXPUNGE");
            assertThat(idler.readResponse()).isEqualTo("* 1 EXPUNGE");
            idler.send("DONE");
            assertThat(idler.until(tag)).containsExactly(tag + " OK IDLE terminated");
            // Nothing was told twice or lost: the session's view is the folder's.
            assertThat(idler.ok("FETCH 1:* (UID FLAGS)")).containsExactly("* 1 FETCH (UID 2 FLAGS (\\Flagged))",
                    idler.lastTag() + " OK FETCH completed");
        }
    }

    @Test
    void listWithSpecialUseAndStatus() throws Exception {
        try (ImapClient c = loggedIn()) {
            List<String> l = c.ok("LIST \"\" \"*\"");
            assertThat(l).contains("* LIST (\\HasNoChildren) \"/\" \"INBOX\"", "* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"");
            List<String> ls = c.ok("LIST \"\" \"%\" RETURN (SPECIAL-USE STATUS (MESSAGES UIDNEXT))");
            assertThat(ls).contains("* STATUS \"Junk\" (MESSAGES 0 UIDNEXT 1)");
            c.ok("CREATE \"Entwürfe/2024\"".replace("ü", "&APw-"));
            assertThat(c.ok("LIST \"\" \"Entw*\"")).contains("* LIST (\\HasChildren) \"/\" \"Entw&APw-rfe\"",
                    "* LIST (\\HasNoChildren) \"/\" \"Entw&APw-rfe/2024\"");
            c.ok("ENABLE UTF8=ACCEPT");
            assertThat(c.ok("LIST \"\" \"Entw*\"")).contains("* LIST (\\HasChildren) \"/\" \"Entwürfe\"");
        }
    }

    @Test
    void moveReportsCopyuidThenExpunges() throws Exception {
        try (ImapClient c = loggedIn()) {
            server.deliver("", "1000.M1P1Q1.h", "Subject: a\n\nx\n");
            server.deliver("", "1000.M1P1Q2.h", "Subject: b\n\nx\n");
            c.ok("SELECT INBOX");
            List<String> r = c.ok("UID MOVE 1 Archive");
            assertThat(r.get(0)).matches("\\* OK \\[COPYUID \\d+ 1 1\\] Moved");
            assertThat(r.get(1)).isEqualTo("* 1 EXPUNGE");
            c.ok("ENABLE QRESYNC");
            List<String> s = c.ok("STATUS Archive (MESSAGES UIDNEXT HIGHESTMODSEQ)");
            assertThat(s.get(0)).matches("\\* STATUS \"Archive\" \\(MESSAGES 1 UIDNEXT 2 HIGHESTMODSEQ \\d+\\)");
        }
    }
}
