package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;
import org.postwerk.testkit.Bytes;

/**
 * Random and mutated command streams against real sessions over sockets, in every state: plain and not
 * logged in, TLS and not logged in, logged in, a mailbox selected. Whatever arrives, no exception escapes a
 * session, nothing hangs (each command gets its answer, or the session ends, within a bound; at the end of
 * the stream the session closes), and afterwards the server serves a normal client as before. Fixed seeds.
 */
class ImapSessionFuzzTest {
    private static final long SEED = 0x1A9_5E55L;
    private static final Duration BOUND = Duration.ofSeconds(10);

    /** Commands of every kind, valid as written, to be mutated. */
    private static final List<String> CORPUS = List.of(
            "CAPABILITY", "NOOP", "ID (\"name\" \"fuzz\" \"version\" NIL)", "ENABLE QRESYNC",
            "ENABLE IMAP4rev2 UTF8=ACCEPT", "LIST \"\" \"*\"", "LIST (SPECIAL-USE SUBSCRIBED) \"\" \"%\" RETURN (CHILDREN "
                    + "STATUS (MESSAGES UIDNEXT SIZE))", "LSUB \"\" \"*\"", "NAMESPACE",
            "STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ SIZE DELETED)", "SELECT INBOX",
            "SELECT INBOX (CONDSTORE)", "SELECT INBOX (QRESYNC (1 1 1:9 (1,3 1:2)))", "EXAMINE Archive",
            "FETCH 1:* (FLAGS UID RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE MODSEQ)", "FETCH 1:* FULL",
            "FETCH 2 (BODY.PEEK[1.2.MIME] BODY[HEADER.FIELDS (FROM SUBJECT)]<0.10> BINARY.PEEK[1] BINARY.SIZE[1])",
            "FETCH 3 (BODY[2.HEADER] BODY[2.1] BODY[2.TEXT]<3.4> RFC822.HEADER RFC822.TEXT)",
            "UID FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)", "SEARCH CHARSET UTF-8 OR FROM bob SUBJECT Grüße",
            "UID SEARCH RETURN (MIN MAX COUNT ALL SAVE) SINCE 1-Jan-2020 NOT DELETED LARGER 10",
            "SEARCH $ (HEADER Message-ID x) BODY hello TEXT \"x y\" 1:3,5 UID 1:*",
            "SORT (REVERSE DATE SUBJECT FROM) UTF-8 ALL", "THREAD REFERENCES UTF-8 ALL", "THREAD ORDEREDSUBJECT US-ASCII ALL",
            "STORE 1:3 +FLAGS (\\Seen $Label)", "UID STORE 1:* (UNCHANGEDSINCE 5) -FLAGS.SILENT (\\Seen)",
            "STORE 2 FLAGS (\\Deleted)", "COPY 1:2 Archive", "UID COPY 1:* Fuzz", "UID MOVE 2 Trash", "MOVE 1 INBOX",
            "EXPUNGE", "UID EXPUNGE 1:3", "CLOSE", "UNSELECT", "CHECK", "CREATE Fuzz/Sub", "CREATE X (USE (\\Junk))",
            "RENAME Fuzz Fuzz2", "DELETE Fuzz2/Sub", "SUBSCRIBE Fuzz2", "UNSUBSCRIBE Fuzz2", "GETQUOTAROOT INBOX",
            "GETQUOTA \"\"", "SETQUOTA \"\" (STORAGE 10)", "APPEND Drafts (\\Draft) \"02-Dec-2026 10:00:00 +0100\" {31+}\r\n"
                    + "Subject: fuzz\r\n\r\nhello fuzz!!\r\n", "APPEND INBOX {10}\r\n0123456789",
            "APPEND INBOX (\\Seen) ~{8+}\r\nab\0cd\r\nx", "IDLE\r\nDONE", "AUTHENTICATE PLAIN", "AUTHENTICATE PLAIN =",
            "AUTHENTICATE SCRAM-SHA-256", "LOGIN alice wrong", "LOGIN {5+}\r\nalice {3+}\r\nbad", "STARTTLS",
            "COMPRESS DEFLATE", "LOGOUT");

    private static final String[] TOKENS = {
        " ", " ", "(", ")", "[", "]", "<", ">", ".", "\"", "\\", "{", "}", "+", "~", "*", "%", "$", ":", ",",
        "\r\n", "\n", "\r", "\0", "\u00e4", "\u00ff", "0", "1", "4294967295", "4294967296", "9223372036854775808",
        "{3}\r\nabc", "{0}\r\n", "{5+}\r\n", "~{2}\r\n\0\1", "NIL", "UID", "FETCH", "SEARCH", "BODY[", "BODY.PEEK[",
        "BINARY[", "HEADER.FIELDS", "TEXT", "MIME", "NOT", "OR", "1:*", "*:1", "CHANGEDSINCE", "VANISHED", "\\Seen",
        "INBOX", "&AOQ-", "&", "/", "..", "DONE", "((((((((((", "NOT NOT NOT NOT NOT NOT NOT NOT",
    };

    @TempDir
    Path dir;
    private ImapTestServer plain;
    private ImapTestServer tls;

    @BeforeEach
    void start() throws IOException {
        plain = new ImapTestServer(dir.resolve("plain"), Role.IMAP);
        tls = new ImapTestServer(dir.resolve("tls"), Role.IMAPS);
        for (ImapTestServer s : List.of(plain, tls)) {
            s.deliver("", "1000.M1P1Q1.h", "From: Bob <bob@example.net>\nSubject: Grüße\n\nhello\n");
            s.deliver("", "1000.M1P1Q2.h", """
                    From: carol@example.net
                    Subject: parts
                    MIME-Version: 1.0
                    Content-Type: multipart/mixed; boundary=b

                    --b
                    Content-Type: text/plain; charset=utf-8
                    Content-Transfer-Encoding: quoted-printable

                    Gr=C3=BC=C3=9Fe
                    --b
                    Content-Type: message/rfc822

                    Subject: inner
                    Content-Type: multipart/alternative; boundary=c

                    --c
                    Content-Type: text/html

                    <p>x</p>
                    --c--
                    --b--
                    """);
            s.deliver("", "1000.M1P1Q3.h", "Subject: =?UTF-8?B?w6TDtsO8?=\nMessage-ID: <3@x>\nIn-Reply-To: <1@x>\n\nthird\n");
        }
    }

    @AfterEach
    void stop() throws IOException {
        plain.close();
        tls.close();
    }

    /**
     * One mutated command at a time, each followed by a NOOP: the NOOP is answered, or the session ends. A
     * command that may read the next lines as its data ends the stream instead: then the session must end.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void everyCommandIsAnsweredOrTheSessionEnds() throws Exception {
        Random random = new Random(SEED);
        int answered = 0;
        int ended = 0;
        int sessions = 0;
        while (answered + ended < 600) {
            int state = sessions++ % 4;
            try (Session s = open(state)) {
                for (int i = 0; i < 40; i++) {
                    byte[] command = command(random, "f" + i);
                    if (awaitsMore(command)) { // our NOOP could be read as its data: end the stream instead
                        s.out.write(command);
                        s.out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        s.shutdownOutput();
                        s.drain();
                        ended++;
                        break;
                    }
                    String tag = "zz" + i;
                    s.out.write(command);
                    s.out.write(("\r\n" + tag + " NOOP\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.out.flush();
                    Outcome o = s.awaitTag(tag);
                    if (o == Outcome.SILENT) {
                        throw new AssertionError("no answer within " + BOUND + " in state " + state + " after "
                                + printable(command));
                    }
                    if (o == Outcome.ENDED) {
                        ended++;
                        break;
                    }
                    answered++;
                }
            } catch (IOException e) {
                ended++; // the session ended while we were still writing
            }
        }
        System.out.printf("ImapSessionFuzzTest: %d commands answered, %d sessions ended by the command, %d sessions%n",
                answered, ended, sessions);
        assertThat(answered).isGreaterThan(300);
        servesANormalClient();
    }

    /** Whole mutated streams, pipelined; at the stream's end the client closes its side: the session must end. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void pipelinedStreamsEndCleanlyWithTheirConnection() throws Exception {
        Random random = new Random(SEED + 1);
        long slowest = 0;
        for (int round = 0; round < 100; round++) {
            int state = round % 4;
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                stream.writeBytes(command(random, "p" + i));
                stream.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            try (Session s = open(state)) {
                Thread writer = Thread.ofVirtual().start(() -> {
                    try {
                        s.out.write(stream.toByteArray());
                        s.out.flush();
                        s.shutdownOutput();
                    } catch (IOException | UnsupportedOperationException e) {
                        // the session ended first
                    }
                });
                long start = System.nanoTime();
                s.drain();
                slowest = Math.max(slowest, System.nanoTime() - start);
                writer.join();
            } catch (IOException e) {
                // refused before the stream started: fine, nothing hangs
            }
        }
        System.out.printf("ImapSessionFuzzTest: 100 streams, the slowest ended after %d ms%n", slowest / 1_000_000);
        servesANormalClient();
    }

    private void servesANormalClient() throws IOException {
        assertThat(plain.escaped).isEmpty();
        assertThat(tls.escaped).isEmpty();
        try (ImapClient c = ImapClient.implicitTls(tls.port(), tls.tls.trusting)) {
            assertThat(c.readResponse()).startsWith("* OK");
            c.login();
            c.ok("SELECT INBOX");
            c.ok("FETCH 1:* (FLAGS ENVELOPE)");
            assertThat(c.command("APPEND INBOX {14+}\r\nSubject: x\r\n\r\n").getLast()).matches("a\\d+ OK.*");
            c.ok("LOGOUT");
        }
    }

    private enum Outcome { ANSWERED, ENDED, SILENT }

    /** A connection in one of four states: 0 plain, 1 TLS, 2 logged in, 3 INBOX selected. */
    private Session open(int state) throws IOException {
        ImapTestServer server = state == 0 ? plain : tls;
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        if (state > 0) {
            SSLSocket s = (SSLSocket) server.tls.trusting.context().getSocketFactory().createSocket(socket, "localhost",
                    server.port(), true);
            s.startHandshake();
            socket = s;
        }
        Session session = new Session(socket);
        session.awaitTag("*");
        if (state >= 2) {
            session.out.write(("l1 LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD + "\r\n").getBytes());
            assertThat(session.awaitTag("l1")).isEqualTo(Outcome.ANSWERED);
        }
        if (state == 3) {
            session.out.write("l2 SELECT INBOX\r\n".getBytes());
            assertThat(session.awaitTag("l2")).isEqualTo(Outcome.ANSWERED);
        }
        return session;
    }

    /** The raw connection: reads octets and looks for lines that start with a tag. */
    private static final class Session implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Session(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) BOUND.toMillis());
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        /** Reads until a line starting with {@code tag + " "} (ANSWERED), the end (ENDED), or the bound (SILENT). */
        Outcome awaitTag(String tag) throws IOException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            try {
                while (System.nanoTime() < deadline) {
                    int c = in.read();
                    if (c < 0) {
                        return Outcome.ENDED;
                    }
                    if (c != '\n') {
                        line.write(c);
                        continue;
                    }
                    String l = line.toString(StandardCharsets.ISO_8859_1);
                    line.reset();
                    if (l.startsWith(tag + " ")) {
                        return Outcome.ANSWERED;
                    }
                    if (l.startsWith("* BYE")) {
                        return Outcome.ENDED; // the connection closes right after
                    }
                    if (l.endsWith(" OK DEFLATE active\r")) {
                        return Outcome.ENDED; // from here on both ways are compressed: this client cannot follow
                    }
                }
            } catch (SocketTimeoutException e) {
                return Outcome.SILENT;
            } catch (IOException e) {
                return Outcome.ENDED; // reset by the server
            }
            return Outcome.SILENT;
        }

        /** Reads everything until the server closes; fails when it has not within the bound. */
        void drain() throws IOException {
            byte[] b = new byte[8192];
            try {
                while (in.read(b) >= 0) {
                    // responses, ignored
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the session did not end within " + BOUND + " after the client's end");
            } catch (IOException e) {
                // reset: ended
            }
        }

        /** The client's end of the stream; over TLS 1.3 a half-close (close_notify), which the server reads as the end. */
        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static byte[] command(Random random, String tag) {
        String base = random.nextInt(6) == 0 ? randomTokens(random) : CORPUS.get(random.nextInt(CORPUS.size()));
        byte[] b = (tag + " " + base).getBytes(StandardCharsets.UTF_8);
        int mutations = random.nextInt(4); // some untouched, so valid commands take the same paths
        for (int m = 0; m < mutations && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            b = switch (random.nextInt(5)) {
                case 0 -> {
                    b[at] = (byte) random.nextInt(256);
                    yield b;
                }
                case 1 -> Bytes.splice(b, at, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 2 -> Bytes.splice(b, at, Math.min(b.length, at + 1 + random.nextInt(8)), new byte[0]);
                case 3 -> Arrays.copyOf(b, Math.max(at, tag.length() + 1));
                default -> Bytes.splice(b, at, at, Arrays.copyOfRange(b, at, Math.min(b.length, at + 1 + random.nextInt(30))));
            };
        }
        return b;
    }

    private static String randomTokens(Random random) {
        StringBuilder s = new StringBuilder();
        for (int i = 1 + random.nextInt(30); i > 0; i--) {
            s.append(TOKENS[random.nextInt(TOKENS.length)]);
        }
        return s.toString();
    }


    /**
     * Whether the command may take the lines after it as its own data: a literal announcement, or a SASL
     * exchange (RFC 9051 §6.2.2). A NOOP sent after it would not be a command.
     */
    private static boolean awaitsMore(byte[] command) {
        return new String(command, StandardCharsets.ISO_8859_1).matches("(?is).*(\\{\\d*\\+?}|AUTHENTICATE).*");
    }

    private static String printable(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
    }
}
