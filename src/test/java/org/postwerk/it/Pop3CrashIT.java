package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.tls.ClientTls;
import org.postwerk.testkit.SmtpScript;

/**
 * POP3's DELE is durable once QUIT said +OK (RFC 1939 §6): the server is killed with SIGKILL right after the
 * +OK, restarted, and the deleted messages stay deleted while the others keep their UIDLs. A session killed
 * before QUIT deletes nothing.
 */
class Pop3CrashIT {
    @TempDir
    Path dir;

    @Test
    void deletionsSurviveSigkillAfterQuit() throws Exception {
        try (ServerProcess server = new ServerProcess(dir)) {
            int pop3s = ServerProcess.freePort();
            Files.writeString(server.config, """
                    [[listener]]
                    role = "pop3s"
                    address = "127.0.0.1"
                    port = %d
                    """.formatted(pop3s), java.nio.file.StandardOpenOption.APPEND);
            server.addUser("alice@example.test", "secret-password");
            server.start();
            deliver(server, 5);
            List<String> before;
            try (Pop3 p = new Pop3(pop3s)) {
                before = p.multi("UIDL");
                assertThat(before).hasSize(5);
                for (int m = 1; m <= 3; m++) {
                    assertThat(p.command("DELE " + m)).startsWith("+OK");
                }
                assertThat(p.command("QUIT")).isEqualTo("+OK mx.example.test closing (3 messages deleted)");
            }
            server.kill(); // at once: no shutdown, no checkpoint
            server.start();
            try (Pop3 p = new Pop3(pop3s)) {
                assertThat(p.command("STAT")).startsWith("+OK 2 ");
                List<String> after = p.multi("UIDL");
                assertThat(after).containsExactly("1 " + before.get(3).substring(2), "2 " + before.get(4).substring(2));
                assertThat(p.command("DELE 1")).startsWith("+OK"); // then killed before QUIT
            }
            server.kill();
            server.start();
            try (Pop3 p = new Pop3(pop3s)) {
                assertThat(p.command("STAT")).startsWith("+OK 2 ");
            }
        }
    }

    private static void deliver(ServerProcess server, int n) throws IOException {
        try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.smtp))) {
            s.expect("220 .*").send("EHLO load.example").expect("250 .*");
            for (int m = 0; m < n; m++) {
                s.send("MAIL FROM:<load@example.net>").expect("250 .*");
                s.send("RCPT TO:<alice@example.test>").expect("250 .*");
                s.send("DATA").expect("354 .*");
                s.raw("Subject: message " + m + "\r\n\r\nbody " + m + "\r\n.\r\n").expect("250 .*");
            }
        }
    }

    /** A logged-in POP3S client (the server's certificate is self-signed: not checked here). */
    private static final class Pop3 implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Pop3(int port) throws IOException {
            java.net.Socket plain = connect(port);
            socket = ClientTls.opportunistic().wrap(plain, "mx.example.test", java.time.Duration.ofSeconds(10));
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("+OK");
            assertThat(command("USER alice@example.test")).startsWith("+OK");
            assertThat(command("PASS secret-password")).startsWith("+OK");
        }

        /** ServerProcess.start waits for the submissions port; the POP3 listener starts a moment later. */
        private static java.net.Socket connect(int port) throws IOException {
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (true) {
                try {
                    java.net.Socket s = new java.net.Socket("127.0.0.1", port);
                    s.setSoTimeout(10_000);
                    return s;
                } catch (java.net.ConnectException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        throw new IOException(ie);
                    }
                }
            }
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        List<String> multi(String line) throws IOException {
            assertThat(command(line)).startsWith("+OK");
            List<String> lines = new ArrayList<>();
            for (String l = in.readLine(); !l.equals("."); l = in.readLine()) {
                lines.add(l);
            }
            return lines;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
