package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.config.Role;
import org.postwerk.imap.CommandReader;
import org.postwerk.testkit.TestServer;

/**
 * Every limit of an IMAP session, over a real socket: the command line, the command size, APPENDLIMIT, what
 * a client may send before login, sessions per account and connections per address, the timeouts before
 * login, after login and in IDLE, and the failed-login delay and count. A refusal leaves the session usable
 * (BAD or NO, then the next command works) or ends it with BYE when the stream cannot be followed any more.
 */
class ImapLimitsTest {
    private static final long APPEND_LIMIT = 100_000;

    @TempDir
    Path dir;
    ImapTestServer server;
    Role role;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            assertThat(server.escaped).isEmpty();
            server.close();
        }
    }

    /** The server with the production shape of reader limits for {@code appendLimit} and these timeouts. */
    private void start(Role role, Duration idle, Duration login, Duration failureDelay, int sessionsPerUser,
                       Limits limits) throws IOException {
        this.role = role;
        CommandReader.Limits reader = new CommandReader.Limits(64 * 1024, 256 * 1024, APPEND_LIMIT, 256,
                Long.MAX_VALUE, 64 * 1024, APPEND_LIMIT);
        server = new ImapTestServer(dir, role, new ImapTestServer.Tuning(s -> new ImapSettings(s.hostname(),
                s.listener(), reader, idle, login, 3, failureDelay, APPEND_LIMIT), sessionsPerUser, limits));
    }

    private void start() throws IOException {
        start(Role.IMAPS, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ZERO, 3, TestServer.LIMITS);
    }

    private ImapClient connect() throws IOException {
        ImapClient c = role == Role.IMAPS ? ImapClient.implicitTls(server.port(), server.tls.trusting)
                : new ImapClient(server.port());
        assertThat(c.readResponse()).startsWith("* OK");
        return c;
    }

    @Test
    void anOverLongCommandLineGetsBadAndTheSessionGoesOn() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.send("a1 LOGIN " + "x".repeat(20_000) + " y");
            assertThat(c.until("a1")).last().asString().startsWith("a1 BAD");
            c.login();
            c.send("a3 SELECT " + "x".repeat(100_000));
            assertThat(c.until("a3")).last().asString().startsWith("a3 BAD");
            assertThat(c.command("NOOP").getLast()).matches("a\\d+ OK.*");
        }
    }

    @Test
    void appendBeyondTheLimitIsRefusedWithoutReadingIt() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.login();
            assertThat(c.ok("CAPABILITY").getFirst()).contains("APPENDLIMIT=" + APPEND_LIMIT);
            // Synchronizing: refused before the continuation, so the client never sends it (RFC 7889 §3).
            c.send("a5 APPEND INBOX {" + (APPEND_LIMIT + 1) + "}");
            assertThat(c.readResponse()).startsWith("a5 NO [TOOBIG]");
            c.ok("NOOP");
            // Non-synchronizing and far beyond: refused at once, and the session ends (RFC 7888 §4).
            c.send("a7 APPEND INBOX {" + (APPEND_LIMIT * 1000) + "+}");
            assertThat(c.readResponse()).startsWith("a7 NO [TOOBIG]");
            assertThat(c.readResponse()).startsWith("* BYE");
        }
    }

    /** Before login nothing may be appended: a large literal must not be read (or spilled) for a stranger. */
    @Test
    void largeLiteralsBeforeLoginAreRefusedAtOnce() throws Exception {
        start(Role.IMAP, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ZERO, 3, TestServer.LIMITS);
        try (ImapClient c = connect()) {
            c.send("a1 APPEND INBOX {50000}");
            assertThat(c.readResponse()).matches("a1 (NO|BAD) .*"); // no continuation
            c.ok("CAPABILITY");
            c.send("a3 APPEND INBOX {90000+}");
            assertThat(c.readResponse()).matches("a3 (NO|BAD) .*");
            assertThat(c.readResponse()).startsWith("* BYE");
        }
        try (var spilled = Files.list(dir.resolve("spill"))) {
            assertThat(spilled).isEmpty();
        }
    }

    @Test
    void commandSizeCountsEveryLiteral() throws Exception {
        start();
        try (ImapClient c = connect()) {
            c.login();
            String part = "y".repeat(90_000);
            c.send("a3 ID (\"a\" {" + part.length() + "}");
            assertThat(c.readResponse()).startsWith("+ ");
            c.sendRaw((part + " \"b\" {" + part.length() + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readResponse()).startsWith("+ ");
            c.sendRaw((part + " \"c\" {" + part.length() + "}\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(c.readResponse()).startsWith("a3 BAD"); // 270 KB would not fit in 256 KiB: not sent
            c.ok("NOOP");
        }
    }

    @Test
    void sessionsPerAccountAreLimitedAndFreedAgain() throws Exception {
        start(Role.IMAPS, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ZERO, 2, TestServer.LIMITS);
        try (ImapClient one = connect(); ImapClient two = connect()) {
            one.login();
            two.login();
            try (ImapClient three = connect()) {
                assertThat(three.command("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD).getLast())
                        .startsWith("a1 NO [LIMIT]");
                one.ok("LOGOUT");
                awaitLogin(three);
            }
        }
    }

    /** The slot of a logged-out session is given back when its thread ends: shortly after the BYE. */
    private static void awaitLogin(ImapClient c) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> r = c.command("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD);
            if (r.getLast().matches("a\\d+ OK.*") || System.nanoTime() > deadline) {
                assertThat(r.getLast()).matches("a\\d+ OK.*");
                return;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        start(Role.IMAP, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ZERO, 3,
                new Limits(1 << 20, 100, 512, 1000, 100, 2, 30, 3, Duration.ZERO));
        try (ImapClient one = connect(); ImapClient two = connect(); ImapClient three = new ImapClient(server.port())) {
            assertThat(three.readResponse()).startsWith("* BYE");
            one.ok("LOGOUT");
        }
    }

    @Test
    void silenceBeforeLoginEndsTheSessionAfterTheLoginTimeout() throws Exception {
        start(Role.IMAP, Duration.ofMinutes(30), Duration.ofMillis(500), Duration.ZERO, 3, TestServer.LIMITS);
        try (ImapClient c = connect()) {
            long start = System.nanoTime();
            assertThat(c.readResponse()).startsWith("* BYE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
    }

    @Test
    void aSilentTlsHandshakeIsCutAfterTheLoginTimeout() throws Exception {
        start(Role.IMAPS, Duration.ofMinutes(30), Duration.ofMillis(500), Duration.ZERO, 3, TestServer.LIMITS);
        try (java.net.Socket s = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(5000); // a SocketTimeoutException fails the test
            long start = System.nanoTime();
            s.getInputStream().readAllBytes(); // perhaps a TLS alert, then the end
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(400));
        }
    }

    /** After login the idle timeout applies, to IDLE too, however short the login timeout is. */
    @Test
    void idleLastsUntilTheIdleTimeoutThenBye() throws Exception {
        start(Role.IMAPS, Duration.ofSeconds(3), Duration.ofMillis(300), Duration.ZERO, 3, TestServer.LIMITS);
        try (ImapClient c = connect()) {
            c.login();
            c.ok("SELECT INBOX");
            Thread.sleep(800);
            c.send("a9 IDLE");
            assertThat(c.readResponse()).startsWith("+ ");
            Thread.sleep(1200);
            c.send("DONE");
            assertThat(c.readResponse()).startsWith("a9 OK");
            long start = System.nanoTime();
            assertThat(c.readResponse()).startsWith("* BYE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(2500), Duration.ofSeconds(8));
        }
    }

    @Test
    void failedLoginsAreDelayedAndEndTheSessionAfterThree() throws Exception {
        start(Role.IMAPS, Duration.ofMinutes(30), Duration.ofSeconds(30), Duration.ofMillis(300), 3, TestServer.LIMITS);
        try (ImapClient c = connect()) {
            for (int i = 1; i <= 3; i++) {
                long start = System.nanoTime();
                List<String> r = c.command("LOGIN " + ImapTestServer.USER + " wrong" + i);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
                assertThat(r.getLast()).startsWith("a" + i + " NO [AUTHENTICATIONFAILED]");
                if (i == 3) {
                    assertThat(r).contains("* BYE Too many authentication failures");
                }
            }
        }
        // Four sessions' worth of failures from one address block logins from it, even the right password.
        for (int s = 0; s < 3; s++) {
            try (ImapClient c = connect()) {
                for (int i = 0; i < 3; i++) {
                    c.command("LOGIN " + ImapTestServer.USER + " wrong");
                }
            }
        }
        try (ImapClient c = connect()) {
            assertThat(c.command("LOGIN " + ImapTestServer.USER + " " + ImapTestServer.PASSWORD).getLast())
                    .startsWith("a1 NO [UNAVAILABLE]");
        }
    }
}
