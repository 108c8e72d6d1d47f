package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.SmtpScript;

/**
 * The real server process reloads on SIGHUP (it used to exit) and on {@code postwerk reload}, which reports
 * whether the new configuration was taken; a broken file is refused and the running configuration stays.
 */
class ReloadIT {
    @TempDir
    Path dir;

    private record Result(int code, String out) {}

    private Result cli(String... args) throws Exception {
        Process p = new ProcessBuilder(ServerProcess.java(args)).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean awaitAccepting(int port, boolean wanted) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (accepts(port) != wanted && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return accepts(port) == wanted;
    }

    private boolean awaitLog(String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(dir.resolve("server.log")).contains(text)) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void sighupAndTheReloadCommandApplyAGoodFileAndRefuseABadOne() throws Exception {
        try (ServerProcess server = new ServerProcess(dir)) {
            server.start();
            String original = Files.readString(server.config);
            int imap = ServerProcess.freePort();
            Files.writeString(server.config, original + "[[listener]]\nrole = \"imap\"\naddress = \"127.0.0.1\"\n"
                    + "port = " + imap + "\n");
            try (SmtpScript session = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.smtp))) {
                session.expect("220 .*").send("EHLO client.example").expect("250 .*");

                new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
                assertThat(awaitAccepting(imap, true)).as("imap listener opened by SIGHUP").isTrue();
                assertThat(server.alive()).isTrue();

                Files.writeString(server.config, original + "[imap]\nconnections_per_user = 0\n");
                new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start().waitFor();
                assertThat(awaitLog("result=refused")).isTrue();
                assertThat(Files.readString(dir.resolve("server.log"))).contains("imap.connections_per_user: must be");
                assertThat(accepts(imap)).isTrue();
                // The command checks the file first and asks the server nothing.
                Result refused = cli("reload", "--config", server.config.toString());
                assertThat(refused.code()).as(refused.out()).isEqualTo(78);
                assertThat(refused.out()).contains("imap.connections_per_user");

                Files.writeString(server.config, original);
                Result applied = cli("reload", "--config", server.config.toString());
                assertThat(applied.code()).as(applied.out()).isZero();
                assertThat(applied.out()).startsWith("ok: configuration reloaded").contains("closed imap listener");
                assertThat(awaitAccepting(imap, false)).isTrue();

                session.send("NOOP").expect("250 .*"); // the session from before all this is still there
            }
            assertThat(awaitLog("event=reload trigger=\"postwerk reload\" result=applied")).isTrue(); // logs are batched
            assertThat(Files.readString(dir.resolve("server.log"))).contains("event=reload trigger=\"SIGHUP\" "
                    + "result=applied");
        }
    }
}
