package org.postwerk.training;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The training's mail readers: IMAP and POP3 sessions of the one training user, each over STARTTLS. */
final class Mailboxes {
    private static final Pattern MESSAGES = Pattern.compile("\\(MESSAGES (\\d+)\\)");

    private Mailboxes() {}

    /** Waits until the user's INBOX holds {@code expected} messages (delivery follows the 250 shortly). */
    static void await(InetSocketAddress imap, String user, String password, int expected, Duration wait)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (Wire w = login(imap, user, password)) {
            int have = 0;
            for (int i = 0; ; i++) {
                for (String l : w.imap("s" + i, "STATUS INBOX (MESSAGES)")) {
                    Matcher m = MESSAGES.matcher(l);
                    if (m.find()) {
                        have = Integer.parseInt(m.group(1));
                    }
                }
                if (have >= expected) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("only " + have + " of " + expected + " messages in the INBOX after "
                            + wait.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }
    }

    /** What a mail client does in one visit; {@code folder} is its own, made and deleted in it. */
    static void imapSession(InetSocketAddress imap, String user, String password, String folder)
            throws IOException {
        try (Wire w = login(imap, user, password)) {
            w.imap("c", "CREATE " + folder);
            w.imap("d", "SELECT INBOX");
            w.imap("e", "FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE "
                    + "BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT DATE MESSAGE-ID)])");
            w.imap("f", "UID SEARCH SUBJECT \"invoice\" SINCE 1-Jan-2026");
            w.imap("g", "FETCH 1:10 (BODYSTRUCTURE BODY.PEEK[])");
            w.imap("h", "STORE 1:10 +FLAGS (\\Seen \\Flagged)");
            w.imap("i", "UID COPY 1:5 " + folder);
            byte[] draft = Messages.text(user, user, 1, 1500).getBytes(StandardCharsets.UTF_8);
            w.send("j APPEND " + folder + " (\\Seen) {" + draft.length + "}");
            w.expect("+");
            w.sendBytes(draft);
            w.send("");
            w.imapDone("j", "APPEND");
            w.send("k IDLE");
            w.expect("+");
            w.send("DONE");
            w.imapDone("k", "IDLE");
            w.imap("l", "SELECT " + folder);
            w.imap("m", "STORE 1:* +FLAGS.SILENT (\\Deleted)");
            w.imap("n", "EXPUNGE");
            w.imap("o", "UNSELECT");
            w.imap("p", "DELETE " + folder);
            w.imap("q", "LOGOUT");
        }
    }

    /** A POP3 client's visit: list, read two messages, delete the first. */
    static void popSession(InetSocketAddress pop3, String user, String password) throws IOException {
        try (Wire w = Wire.connect(pop3)) {
            w.expect("+OK");
            w.pop("STLS", false);
            w.startTls();
            w.pop("USER " + user, false);
            w.pop("PASS " + password, false);
            w.pop("STAT", false);
            w.pop("LIST", true);
            w.pop("UIDL", true);
            w.pop("RETR 1", true);
            w.pop("TOP 2 0", true);
            w.pop("DELE 1", false);
            w.pop("QUIT", false);
        }
    }

    private static Wire login(InetSocketAddress imap, String user, String password) throws IOException {
        Wire w = Wire.connect(imap);
        try {
            w.expect("* OK");
            w.imap("a", "STARTTLS");
            w.startTls();
            w.imap("b", "LOGIN \"" + user + "\" \"" + password + "\"");
            return w;
        } catch (IOException e) {
            w.close();
            throw e;
        }
    }
}
