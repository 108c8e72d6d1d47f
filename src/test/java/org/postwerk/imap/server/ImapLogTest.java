package org.postwerk.imap.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;
import org.postwerk.testkit.LogCapture;

/**
 * The operator's lines of an IMAP session, as for SMTP: one per login (user, client, TLS, mechanism), one per
 * failed login, and one when the session ends (user, commands, octets sent), each with the session id.
 */
class ImapLogTest {
    @TempDir
    Path dir;

    @Test
    void oneLinePerLoginAndPerSessionEnd() throws Exception {
        try (LogCapture log = new LogCapture(ImapSession.class.getName());
             ImapTestServer server = new ImapTestServer(dir, Role.IMAPS)) {
            try (ImapClient c = ImapClient.implicitTls(server.port(), server.tls.trusting)) {
                c.readResponse();
                c.command("LOGIN " + ImapTestServer.USER + " wrong");
                c.login();
                c.ok("LOGOUT");
            }
            try (ImapClient c = ImapClient.implicitTls(server.port(), server.tls.trusting)) {
                c.readResponse();
                c.ok("AUTHENTICATE PLAIN " + Base64.getEncoder().encodeToString(("\0" + ImapTestServer.USER + "\0"
                        + ImapTestServer.PASSWORD).getBytes()));
            } // the client just goes away
            List<String> ends = awaitLines(log, "event=disconnect", 2);
            assertThat(ends).allMatch(l -> l.matches("session=\\d+ event=disconnect user=alice@example.org commands=\\d+ "
                    + "out=\\d+"));
            assertThat(log.linesWith("event=login ")).satisfiesExactly(
                    l -> assertThat(l).matches("session=\\d+ event=login user=alice@example.org client=127\\.0\\.0\\.1:\\d+ "
                            + "tls=TLSv1\\.[23] mechanism=LOGIN"),
                    l -> assertThat(l).matches("session=\\d+ event=login user=alice@example.org client=127\\.0\\.0\\.1:\\d+ "
                            + "tls=TLSv1\\.[23] mechanism=PLAIN"));
            assertThat(log.linesWith("event=auth-failed")).singleElement().asString()
                    .matches("session=\\d+ event=auth-failed mechanism=LOGIN client=127\\.0\\.0\\.1:\\d+ reason=.*")
                    .doesNotContain("wrong");
        }
    }

    /** The session-end line is written when the session's thread ends, just after the client sees the close. */
    private static List<String> awaitLines(LogCapture log, String text, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.linesWith(text).size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return log.linesWith(text);
    }
}
