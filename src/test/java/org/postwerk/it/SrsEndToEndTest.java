package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;

/**
 * SRS through the whole server: a stranger's message to an alias that forwards to another domain leaves with
 * an SRS sender at our domain (the sink stands for the other domains, through [[route]]), a bounce to that
 * address reaches the original sender, and a forged one is refused at RCPT.
 */
class SrsEndToEndTest {
    private static final Pattern SRS0 = Pattern.compile("MAIL FROM:<(SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}"
            + "=sender\\.example=bob@example\\.test)>.*");

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private SinkServer sink;
    private Postwerk server;

    private void start(String srs) throws Exception {
        dns = new TestDnsServer("");
        sink = new SinkServer();
        TomlServer.alice(dir).addAlias("fwd@example.test", List.of("friend@remote.example"));
        server = TomlServer.start(dir, "[]", dns, """
                [[route]]
                domain = "remote.example"
                host = "127.0.0.1"
                port = %d
                [[route]]
                domain = "sender.example"
                host = "127.0.0.1"
                port = %d
                """.formatted(sink.port(), sink.port()) + srs);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        dns.close();
        sink.close();
    }

    private static <T> T waitFor(Supplier<Optional<T>> found, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            Optional<T> t = found.get();
            if (t.isPresent()) {
                return t.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private SinkServer.Message to(String address) throws InterruptedException {
        return waitFor(() -> sink.messages().stream().filter(m -> m.rcpts().stream()
                .anyMatch(r -> r.contains("<" + address + ">"))).findFirst(), "a message to " + address);
    }

    private void send(String from, String to, String text) throws Exception {
        try (SmtpScript s = TomlServer.connect(server, "client.example")) {
            s.send("MAIL FROM:<" + from + ">").expect("250 .*");
            s.send("RCPT TO:<" + to + ">").expect("250 .*");
            s.send("DATA").expect("354 .*");
            s.send(text + "\r\n.").expect("250 2\\.0\\.0 .*");
        }
    }

    @Test
    void aForwardedCopyLeavesWithAnSrsSenderAndItsBounceComesBack() throws Exception {
        start("");
        send("bob@sender.example", "fwd@example.test", "From: bob@sender.example\r\nSubject: hi\r\n\r\nhello");
        SinkServer.Message forwarded = to("friend@remote.example");
        Matcher m = SRS0.matcher(forwarded.mail());
        assertThat(m.matches()).as(forwarded.mail()).isTrue();
        String srs = m.group(1);
        assertThat(Files.getPosixFilePermissions(dir.resolve("data/srs.secret")))
                .hasToString("[OWNER_READ, OWNER_WRITE]");

        send("", srs.toLowerCase(java.util.Locale.ROOT).replace("@example.test", "@EXAMPLE.test"),
                "From: MAILER-DAEMON@remote.example\r\nSubject: Undelivered\r\n\r\nfriend@remote.example: no such user");
        SinkServer.Message bounce = to("bob@sender.example");
        assertThat(bounce.mail()).startsWith("MAIL FROM:<>");
        assertThat(bounce.text()).contains("Subject: Undelivered");

        try (SmtpScript s = TomlServer.connect(server, "client.example")) {
            s.send("MAIL FROM:<>").expect("250 .*");
            String forged = srs.replace("=bob@", "=mallory@");
            s.send("RCPT TO:<" + forged + ">").expect("550 5\\.1\\.1 No such user here");
        }
    }

    @Test
    void withSrsOffTheSenderIsPassedOnAsItCame() throws Exception {
        start("[srs]\nenabled = false\n");
        send("bob@sender.example", "fwd@example.test", "Subject: hi\r\n\r\nhello");
        assertThat(to("friend@remote.example").mail()).startsWith("MAIL FROM:<bob@sender.example>");
        assertThat(dir.resolve("data/srs.secret")).doesNotExist();
    }
}
