package org.postwerk.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.postwerk.tls.ClientTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestTls;

class SmtpClientTest {
    static final ClientTimeouts FAST = new ClientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
    static final ClientSettings SETTINGS = new ClientSettings("client.test", FAST);

    @TempDir
    Path dir;
    final SinkServer sink = new SinkServer();

    SmtpClientTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        sink.close();
    }

    private Path message(String text) throws IOException {
        Path p = dir.resolve("m.eml");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static MailRequest request(String... rcpts) {
        return new MailRequest("<a@example.org>", 100, BodyType.EIGHT_BIT_MIME, false, Ret.HDRS, "id 1",
                java.util.Arrays.stream(rcpts).map(r -> new MailRequest.Rcpt(r, Set.of(Notify.SUCCESS, Notify.FAILURE),
                        "rfc822;" + r)).toList());
    }

    private SmtpClient connect() throws IOException {
        SmtpClient c = SmtpClient.connect(sink.address(), "sink.test", SETTINGS);
        assertThat(c.greeting().code()).isEqualTo(220);
        assertThat(c.hello().code()).isEqualTo(250);
        return c;
    }

    @Test
    void pipelinedTransactionWithDsnParametersAndDotStuffing() throws IOException {
        sink.rcptReply = a -> a.startsWith("bad") ? "550 5.1.1 no such user" : "250 2.1.5 ok";
        try (SmtpClient c = connect()) {
            TransactionReplies r = c.send(request("b@example.net", "bad@example.net"),
                    message("Subject: x\r\n\r\n.leading dot\r\nlast line without newline"));
            assertThat(r.rcpts().get(1).code()).isEqualTo(550);
            assertThat(r.rcpts().get(1).status()).hasToString("5.1.1");
            assertThat(r.rcpts().get(1).lines()).containsExactly("no such user");
            assertThat(r.data().code()).isEqualTo(250);
            assertThat(r.decisive(1, request("b@example.net", "bad@example.net")).command())
                    .isEqualTo("RCPT TO:<bad@example.net>");
        }
        SinkServer.Message m = sink.messages().getFirst();
        assertThat(m.mail()).isEqualTo("MAIL FROM:<a@example.org> SIZE=100 BODY=8BITMIME RET=HDRS ENVID=id+201");
        assertThat(m.rcpts()).containsExactly("RCPT TO:<b@example.net> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b@example.net");
        assertThat(m.text()).isEqualTo("Subject: x\r\n\r\n.leading dot\r\nlast line without newline\r\n");
    }

    @Test
    void withoutDsnOrPipeliningParametersAreLeftOutAndCommandsGoOneByOne() throws IOException {
        sink.extensions = List.of();
        sink.rcptReply = a -> "550 5.1.1 nobody";
        try (SmtpClient c = connect()) {
            TransactionReplies r = c.send(request("x@example.net"), message("Subject: x\r\n\r\nhi\r\n"));
            assertThat(r.data()).isNull();
        }
        assertThat(sink.commands()).contains("MAIL FROM:<a@example.org>", "RCPT TO:<x@example.net>")
                .doesNotContain("DATA");
    }

    @Test
    void heloFallbackWhenEhloRejected() throws IOException {
        sink.ehloRejected = true;
        try (SmtpClient c = connect()) {
            assertThat(c.capabilities().has("PIPELINING")).isFalse();
            assertThat(c.send(request("b@example.net"), message("a\r\n")).data().code()).isEqualTo(250);
        }
        assertThat(sink.commands()).contains("HELO client.test");
    }

    @Test
    void chunkingSendsBdat() throws IOException {
        sink.extensions = List.of("PIPELINING", "CHUNKING");
        try (SmtpClient c = connect()) {
            assertThat(c.send(request("b@example.net"), message("Subject: x\r\n\r\n.dot\r\n")).data().code())
                    .isEqualTo(250);
        }
        assertThat(sink.commands()).anyMatch(l -> l.startsWith("BDAT ") && l.endsWith(" LAST"));
        assertThat(sink.messages().getFirst().text()).isEqualTo("Subject: x\r\n\r\n.dot\r\n");
    }

    @Test
    void startTlsThenReuseConnectionForSecondMessage() throws Exception {
        TestTls tls = new TestTls("sink.test");
        sink.tls = tls.server;
        try (SmtpClient c = connect()) {
            assertThat(c.capabilities().has("STARTTLS")).isTrue();
            assertThat(c.startTls(tls.trusting).code()).isEqualTo(250);
            assertThat(c.tlsProtocol()).hasValueSatisfying(v -> assertThat(v).startsWith("TLS"));
            assertThat(c.capabilities().has("STARTTLS")).isFalse();
            c.send(request("b@example.net"), message("one\r\n"));
            assertThat(c.reset().code()).isEqualTo(250);
            c.send(request("c@example.net"), message("two\r\n"));
        }
        assertThat(sink.messages()).hasSize(2).allMatch(SinkServer.Message::tls);
        assertThat(sink.connections()).isEqualTo(1);
    }

    @Test
    void verifiedTlsRejectsUntrustedCertificate() throws Exception {
        sink.tls = new TestTls("sink.test").server;
        try (SmtpClient c = connect()) {
            ClientTls other = new TestTls("sink.test").trusting;
            assertThatThrownBy(() -> c.startTls(other)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void stalledPeerTimesOut() throws IOException {
        sink.stallAt = "MAIL";
        try (SmtpClient c = connect()) {
            assertThatThrownBy(() -> c.send(request("b@example.net"), message("x\r\n")))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    @Test
    void droppedConnectionIsAnIoError() throws IOException {
        sink.dropAt = "RCPT";
        try (SmtpClient c = connect()) {
            assertThatThrownBy(() -> c.send(request("b@example.net"), message("x\r\n"))).isInstanceOf(IOException.class);
        }
    }
}
