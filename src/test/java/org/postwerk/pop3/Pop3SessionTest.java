package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.StoreMode;
import org.postwerk.mailbox.maildir.MaildirAccess;
import org.postwerk.sasl.ScramClient;

/** POP3 transcripts over real sockets and TLS. */
class Pop3SessionTest {
    static final String FIRST = "From: Bob <bob@example.net>\nSubject: Hello\n\nline one\nline two\nline three\n";
    static final String SECOND = "Subject: dots\n\n.starts with a dot\n..two dots\nlast\n";

    @TempDir
    Path dir;
    Pop3TestServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private Pop3Client loggedIn() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3S);
        Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting);
        assertThat(c.readLine()).isEqualTo("+OK pop.example.org Postwerk POP3 ready");
        c.login();
        return c;
    }

    @Test
    void loginOnlyInsideTls() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3);
        try (Pop3Client c = new Pop3Client(server.port())) {
            assertThat(c.readLine()).startsWith("+OK ");
            List<String> capa = c.multi("CAPA");
            assertThat(capa).contains("STLS", "TOP", "UIDL", "RESP-CODES", "PIPELINING")
                    .doesNotContain("USER").noneMatch(l -> l.startsWith("SASL"));
            assertThat(c.command("USER " + Pop3TestServer.USER)).startsWith("-ERR [AUTH] ");
            assertThat(c.command("AUTH PLAIN " + plain(Pop3TestServer.PASSWORD))).startsWith("-ERR [AUTH] ");
            assertThat(c.command("STAT")).startsWith("-ERR ");
            assertThat(c.command("STLS")).startsWith("+OK");
            c.upgrade(server.tls.trusting);
            assertThat(c.multi("CAPA")).contains("USER", "SASL SCRAM-SHA-256 PLAIN").doesNotContain("STLS");
            assertThat(c.command("STLS")).startsWith("-ERR ");
            assertThat(c.command("USER " + Pop3TestServer.USER)).startsWith("+OK");
            assertThat(c.command("PASS wrong")).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.command("PASS " + Pop3TestServer.PASSWORD)).startsWith("-ERR "); // USER again first
            c.login();
            assertThat(c.command("STAT")).isEqualTo("+OK 0 0");
            assertThat(c.command("QUIT")).startsWith("+OK");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void listRetrTopUidlDele() throws Exception {
        try (Pop3Client c = loggedIn()) {
            server.deliver(FIRST);
            server.deliver(SECOND);
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            assertThat(c.command("USER " + Pop3TestServer.USER)).startsWith("+OK");
            assertThat(c.command("PASS " + Pop3TestServer.PASSWORD)).isEqualTo("+OK Logged in, 2 messages (134 octets)");
            assertThat(c.command("STAT")).isEqualTo("+OK 2 134");
            assertThat(c.multi("LIST")).containsExactly("+OK 2 messages (134 octets)", "1 79", "2 55");
            assertThat(c.command("LIST 2")).isEqualTo("+OK 2 55");
            assertThat(c.command("LIST 3")).isEqualTo("-ERR No such message");
            List<String> uidl = c.multi("UIDL");
            assertThat(uidl).hasSize(3);
            assertThat(uidl.get(1)).matches("1 00000001[0-9A-F]{8}");
            assertThat(uidl.get(2)).matches("2 00000002[0-9A-F]{8}").endsWith(uidl.get(1).substring(10));
            assertThat(c.command("UIDL 2")).isEqualTo("+OK " + uidl.get(2));
            assertThat(c.multi("TOP 1 0")).containsExactly("+OK Top of message follows",
                    "From: Bob <bob@example.net>", "Subject: Hello", "");
            assertThat(c.multi("TOP 1 2")).endsWith("", "line one", "line two");
            assertThat(c.multi("RETR 2")).containsExactly("+OK 55 octets", "Subject: dots", "",
                    "..starts with a dot", "...two dots", "last");
            assertThat(c.command("DELE 1")).isEqualTo("+OK Message 1 deleted");
            assertThat(c.command("DELE 1")).isEqualTo("-ERR Message 1 already deleted");
            assertThat(c.command("RETR 1")).startsWith("-ERR ");
            assertThat(c.command("STAT")).isEqualTo("+OK 1 55");
            assertThat(c.multi("LIST")).containsExactly("+OK 1 messages (55 octets)", "2 55");
            assertThat(c.command("RSET")).isEqualTo("+OK Maildrop has 2 messages (134 octets)");
            assertThat(c.command("DELE 1")).startsWith("+OK");
            assertThat(c.command("NOOP")).isEqualTo("+OK");
            assertThat(c.command("QUIT")).isEqualTo("+OK pop.example.org closing (1 messages deleted)");
        }
        // RFC 1939 §6: removed at QUIT; RETR marked \Seen (as Dovecot does), TOP did not.
        assertThat(files("cur")).singleElement().satisfies(f -> assertThat(f).endsWith(":2,S"));
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.login();
            assertThat(c.multi("LIST")).containsExactly("+OK 1 messages (55 octets)", "1 55");
            assertThat(c.command("UIDL 1")).startsWith("+OK 1 00000002");
        }
    }

    @Test
    void noUpdateWithoutQuit() throws Exception {
        try (Pop3Client c = loggedIn()) {
            server.deliver(FIRST);
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.login();
            c.multi("RETR 1");
            assertThat(c.command("DELE 1")).startsWith("+OK");
        } // the connection drops: RFC 1939 §6, no UPDATE state
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.login();
            assertThat(c.command("STAT")).isEqualTo("+OK 1 79");
            assertThat(c.command("QUIT")).isEqualTo("+OK pop.example.org closing (0 messages deleted)");
        }
        assertThat(files("cur")).singleElement().satisfies(f -> assertThat(f).doesNotContain(":2,S"));
    }

    @Test
    void imapExpungeDuringTheSessionAndLaterDeliveries() throws Exception {
        try (Pop3Client c = loggedIn()) {
            server.deliver(FIRST);
            server.deliver(SECOND);
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.login();
            MailAccess imap = new MaildirAccess(server.folders, server.maildir(), -1);
            try (Folder inbox = imap.open(MailAccess.INBOX)) {
                inbox.store(new long[] {1, 2}, StoreMode.ADD, Flags.of(Flag.DELETED), -1);
                inbox.expunge(new long[] {1}); // an IMAP client removes message 1; 2 stays flagged \Deleted
            }
            server.deliver("Subject: later\n\nx\n");
            assertThat(c.command("STAT")).as("the maildrop is fixed at login").isEqualTo("+OK 2 134");
            assertThat(c.command("RETR 1")).isEqualTo("-ERR Message 1 was expunged by another session");
            assertThat(c.command("DELE 1")).startsWith("+OK");
            assertThat(c.command("QUIT")).isEqualTo("+OK pop.example.org closing (0 messages deleted)");
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.login();
            // The \Deleted flag IMAP set on message 2 is IMAP's business: POP3 expunges only what it deleted.
            assertThat(c.multi("LIST")).containsExactly("+OK 2 messages (76 octets)", "1 55", "2 21");
        }
    }

    @Test
    void authPlainAndScram() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3S);
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            assertThat(c.multi("AUTH")).containsExactly("+OK Mechanisms follow", "SCRAM-SHA-256", "PLAIN");
            assertThat(c.command("AUTH LOGIN")).startsWith("-ERR ");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("+ ");
            assertThat(c.command("*")).isEqualTo("-ERR Authentication cancelled");
            assertThat(c.command("AUTH PLAIN " + plain("wrong"))).isEqualTo("-ERR [AUTH] Authentication failed");
            assertThat(c.command("AUTH PLAIN " + plain(Pop3TestServer.PASSWORD))).startsWith("+OK Logged in");
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            ScramClient scram = new ScramClient(Pop3TestServer.USER, Pop3TestServer.PASSWORD, "clientnonce123", "n,,");
            String first = c.command("AUTH SCRAM-SHA-256 " + b64(scram.first()));
            assertThat(first).startsWith("+ ");
            String fin = c.command(b64(scram.last(Base64.getDecoder().decode(first.substring(2)))));
            assertThat(fin).startsWith("+ ");
            assertThat(scram.verify(Base64.getDecoder().decode(fin.substring(2)))).isTrue();
            assertThat(c.command("")).startsWith("+OK Logged in");
            assertThat(c.command("STAT")).isEqualTo("+OK 0 0");
        }
    }

    @Test
    void tooManyAuthFailuresCloseTheSession() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3S);
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            for (int i = 0; i < 2; i++) {
                c.command("USER " + Pop3TestServer.USER);
                assertThat(c.command("PASS nope")).isEqualTo("-ERR [AUTH] Authentication failed");
            }
            c.command("USER " + Pop3TestServer.USER);
            assertThat(c.command("PASS nope")).isEqualTo("-ERR [AUTH] Authentication failed, too many failures");
            assertThat(c.readLine()).isNull();
        }
    }

    @Test
    void pipelinedCommandsAndLongLines() throws Exception {
        try (Pop3Client c = loggedIn()) {
            server.deliver(FIRST);
        }
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            c.sendRaw(("USER " + Pop3TestServer.USER + "\r\nPASS " + Pop3TestServer.PASSWORD
                    + "\r\nSTAT\r\nUIDL 1\r\nnoop\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.readLine()).startsWith("+OK");
            assertThat(c.readLine()).startsWith("+OK Logged in, 1 messages");
            assertThat(c.readLine()).isEqualTo("+OK 1 79");
            assertThat(c.readLine()).startsWith("+OK 1 00000001");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.command("X".repeat(20_000))).isEqualTo("-ERR Line too long");
            assertThat(c.command("TOP 1")).isEqualTo("-ERR Syntax error in TOP");
            assertThat(c.command("RETR 0")).isEqualTo("-ERR Syntax error in RETR");
            assertThat(c.command("STAT")).isEqualTo("+OK 1 79");
        }
    }

    @Test
    void plaintextAfterStlsIsNotExecuted() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3);
        try (Pop3Client c = new Pop3Client(server.port())) {
            c.readLine();
            c.sendRaw("STLS\r\nUSER injected\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readLine()).isNull(); // closed, neither answered: RFC 2595 §4, no command may ride along
        }
    }

    @Test
    void silentClientsAreLoggedOut() throws Exception {
        server = new Pop3TestServer(dir, Role.POP3S, java.time.Duration.ofSeconds(1));
        try (Pop3Client c = Pop3Client.implicitTls(server.port(), server.tls.trusting)) {
            c.readLine();
            long start = System.nanoTime();
            assertThat(c.readLine()).isEqualTo("-ERR Autologout; idle for too long");
            assertThat(c.readLine()).isNull();
            assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        }
    }

    private List<String> files(String sub) throws Exception {
        try (Stream<Path> s = Files.list(server.maildir().resolve(sub))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static String plain(String password) {
        return b64(("\0" + Pop3TestServer.USER + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
