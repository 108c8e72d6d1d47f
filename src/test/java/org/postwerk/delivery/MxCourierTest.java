package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postwerk.tls.ClientTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Reason;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.ZoneResolver;

class MxCourierTest {
    static final ClientTimeouts FAST = new ClientTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));

    @TempDir
    Path dir;
    final SinkServer sink = new SinkServer();
    final ZoneResolver dns = new ZoneResolver();
    MxCourier courier;

    MxCourierTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        if (courier != null) {
            courier.close();
        }
        sink.close();
    }

    MxCourier courier(ClientTls verified, RouteSettings... overrides) {
        courier = new MxCourier(dns, new MxSettings(new ClientSettings("postwerk.test", FAST), sink.port(), verified,
                Duration.ofSeconds(30)), List.of(overrides));
        return courier;
    }

    MxCourier courier() {
        return courier(null);
    }

    static Envelope envelope(boolean utf8, String... rcpts) {
        return new Envelope("q1", Optional.of(new Mailbox("alice", "example.org")),
                java.util.Arrays.stream(rcpts).map(MxCourierTest::rcpt).toList(), BodyType.SEVEN_BIT, utf8, null, null,
                Instant.now(), null, null);
    }

    static Recipient rcpt(String a) {
        return Recipient.of(new Mailbox(a.substring(0, a.indexOf('@')), a.substring(a.indexOf('@') + 1)));
    }

    Path message() throws IOException {
        Path p = dir.resolve("m.eml");
        Files.writeString(p, "Subject: t\r\n\r\nbody\r\n");
        return p;
    }

    List<Outcome> send(String... rcpts) throws IOException {
        Envelope e = envelope(false, rcpts);
        return courier.deliver(e, e.recipients(), message());
    }

    @Test
    void deliversToBestMxAfterUnreachableOneAndTriesIpv6First() throws IOException {
        dns.add("""
                example.net.     300 IN MX 20 mx2.example.net.
                example.net.     300 IN MX 10 mx1.example.net.
                mx1.example.net. 300 IN A    127.0.0.3
                mx2.example.net. 300 IN AAAA ::1
                mx2.example.net. 300 IN A    127.0.0.1
                """);
        courier();
        List<Outcome> out = send("bob@example.net", "carol@example.net");
        assertThat(out).allSatisfy(o -> assertThat(o).isInstanceOf(Outcome.Delivered.class));
        assertThat(out.getFirst().hop().host()).isEqualTo("mx2.example.net");
        assertThat(sink.messages()).hasSize(1);
        assertThat(sink.messages().getFirst().rcpts()).hasSize(2);
    }

    @Test
    void nextHostOnTemporaryGreeting() throws IOException {
        try (SinkServer second = new SinkServer(InetAddress.getByName("127.0.0.2"), sink.port())) {
            sink.greeting = "421 4.3.2 busy";
            dns.add("""
                    example.net.   300 IN MX 10 a.example.net.
                    example.net.   300 IN MX 20 b.example.net.
                    a.example.net. 300 IN A 127.0.0.1
                    b.example.net. 300 IN A 127.0.0.2
                    """);
            courier();
            Outcome o = send("bob@example.net").getFirst();
            assertThat(o).isInstanceOf(Outcome.Delivered.class);
            assertThat(o.hop().ip()).isEqualTo("127.0.0.2");
            assertThat(second.messages()).hasSize(1);
        }
    }

    @Test
    void nullMxNxdomainAndDnsFailure() throws IOException {
        dns.add("nullmx.example. 300 IN MX 0 .\nnowhere-else.example. 300 IN A 127.0.0.9\n")
                .serverFailure("broken.example");
        courier();
        Outcome nul = send("x@nullmx.example").getFirst();
        assertThat(nul).isInstanceOf(Outcome.Failed.class);
        assertThat(nul.reply().status()).hasToString("5.1.10");
        assertThat(send("x@nowhere.example").getFirst()).isInstanceOf(Outcome.Failed.class);
        Outcome broken = send("x@broken.example").getFirst();
        assertThat(broken).isInstanceOf(Outcome.Deferred.class);
        // Our own findings: no remote MTA answered, whatever DSN or log line they end up in.
        assertThat(List.of(nul, broken)).extracting(Outcome::reason).allMatch(r -> r instanceof Reason.Local);
    }

    @Test
    void mxRoutingOverARealDnsServer() throws IOException {
        String zone = """
                example.net.    300 IN MX 10 mx.example.net.
                mx.example.net. 300 IN A  127.0.0.1
                nullmx.example. 300 IN MX 0 .
                """;
        try (TestDnsServer server = new TestDnsServer(zone)) {
            courier = new MxCourier(new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(500), 1,
                    new DnsCache(java.time.Clock.systemUTC(), 100, Duration.ofMinutes(5))),
                    new MxSettings(new ClientSettings("postwerk.test", FAST), sink.port(), null, Duration.ZERO), List.of());
            Outcome ok = send("bob@example.net").getFirst();
            assertThat(ok).isInstanceOf(Outcome.Delivered.class);
            assertThat(ok.hop().host()).isEqualTo("mx.example.net");
            assertThat(send("bob@nullmx.example").getFirst().reply().status()).hasToString("5.1.10");
        }
    }

    @Test
    void implicitMxFromAddressRecords() throws IOException {
        dns.add("plain.example. 300 IN A 127.0.0.1\n");
        courier();
        assertThat(send("x@plain.example").getFirst()).isInstanceOf(Outcome.Delivered.class);
    }

    @Test
    void repliesMapToOutcomesAndKeepTheRemoteText() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\n");
        sink.rcptReply = a -> a.startsWith("gone") ? "550 5.1.1 gone away" : a.startsWith("full")
                ? "452 4.2.2 mailbox full" : "250 2.1.5 ok";
        sink.extensions = List.of("PIPELINING", "8BITMIME");
        courier();
        List<Outcome> out = send("gone@example.net", "full@example.net", "ok@example.net");
        assertThat(out.get(0)).isInstanceOf(Outcome.Failed.class);
        assertThat(out.get(0).reply()).hasToString("550 5.1.1 gone away");
        assertThat(out.get(0).command()).isEqualTo("RCPT TO:<gone@example.net>");
        assertThat(out.get(0).reason()).isEqualTo(new Reason.Remote(Reply.of(550, 5, 1, 1, "gone away"),
                "example.net [127.0.0.1]", "RCPT TO:<gone@example.net>"));
        assertThat(out.get(1)).isInstanceOf(Outcome.Deferred.class);
        assertThat(((Outcome.Delivered) out.get(2)).dsn()).isEqualTo(org.postwerk.queue.DsnDuty.RELAYED);
    }

    @Test
    void aRefusedConnectionIsOurFindingAndARefusingGreetingTheHostsReply() throws IOException {
        int dead;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = free.getLocalPort();
        }
        courier(null, new RouteSettings("closed.example", "127.0.0.1", dead, false, false, Optional.empty(),
                Optional.empty()), new RouteSettings("example.net", "127.0.0.1", sink.port(), false, false,
                Optional.empty(), Optional.empty()));
        Outcome refused = send("b@closed.example").getFirst();
        assertThat(refused).isInstanceOf(Outcome.Deferred.class);
        assertThat(refused.reason()).isInstanceOf(Reason.Local.class);
        assertThat(refused.hop().ip()).as("the log still names the host tried").isEqualTo("127.0.0.1");
        sink.greeting = "554 5.7.1 go away";
        Outcome greeting = send("b@example.net").getFirst();
        assertThat(greeting).as("the next MX may take it").isInstanceOf(Outcome.Deferred.class);
        assertThat(greeting.reason()).isEqualTo(new Reason.Remote(Reply.of(554, 5, 7, 1, "go away"),
                "127.0.0.1 [127.0.0.1]", "greeting"));
    }

    @Test
    void manyRecipientsGoInBatchesOfAHundredOverOneConnection() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\n");
        courier();
        String[] rcpts = new String[230];
        for (int i = 0; i < rcpts.length; i++) {
            rcpts[i] = "r" + i + "@example.net";
        }
        assertThat(send(rcpts)).hasSize(230).allMatch(o -> o instanceof Outcome.Delivered);
        assertThat(sink.messages()).extracting(m -> m.rcpts().size()).containsExactly(100, 100, 30);
        assertThat(sink.connections()).isEqualTo(1);
    }

    @Test
    void droppedOrStalledConnectionDefers() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\nother.example. 300 IN A 127.0.0.1\n");
        courier();
        sink.dropAt = "RCPT";
        Outcome dropped = send("b@example.net").getFirst();
        assertThat(dropped).isInstanceOf(Outcome.Deferred.class);
        assertThat(dropped.reply().status()).hasToString("4.4.2");
        sink.dropAt = null;
        sink.stallAt = "DATA";
        Envelope e = envelope(false, "b@other.example");
        Outcome stalled = courier.deliver(e, e.recipients(), message()).getFirst();
        assertThat(stalled).isInstanceOf(Outcome.Deferred.class);
        assertThat(stalled.hop().host()).isEqualTo("other.example");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void refusesWhatThePeerCannotTake() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\nother.example. 300 IN A 127.0.0.1\n");
        sink.extensions = List.of("SIZE 5");
        courier();
        assertThat(send("b@example.net").getFirst().reply().status()).hasToString("5.3.4");
        sink.extensions = List.of("8BITMIME");
        Envelope e = envelope(true, "b@other.example");
        Outcome o = courier.deliver(e, e.recipients(), message()).getFirst();
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(o.reply().status()).hasToString("5.6.7");
        assertThat(o.reason()).as("we did not send: our decision").isInstanceOf(Reason.Local.class);
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void opportunisticTlsAndConnectionReuse() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\n");
        sink.tls = new TestTls("whatever.test").server;
        courier();
        Outcome first = send("b@example.net").getFirst();
        assertThat(first.hop().tls()).startsWith("TLSv1");
        send("c@example.net");
        assertThat(sink.messages()).hasSize(2).allMatch(SinkServer.Message::tls);
        assertThat(sink.connections()).isEqualTo(1);
    }

    @Test
    void failedOpportunisticHandshakeFallsBackToPlainText() throws IOException {
        dns.add("example.net. 300 IN A 127.0.0.1\n");
        sink.brokenTls = true;
        courier();
        Outcome o = send("b@example.net").getFirst();
        assertThat(o).isInstanceOf(Outcome.Delivered.class);
        assertThat(o.hop().tls()).isNull();
        assertThat(sink.connections()).isEqualTo(2);
        assertThat(sink.messages().getFirst().tls()).isFalse();
    }

    @Test
    void smarthostWithRequiredVerifiedTlsAndAuth() throws IOException {
        TestTls tls = new TestTls("localhost");
        sink.tls = tls.server;
        sink.extensions = List.of("AUTH PLAIN LOGIN", "PIPELINING");
        courier(tls.trusting, new RouteSettings("*", "127.0.0.1", sink.port(), false, true, Optional.of("user"),
                Optional.of("secret")));
        Outcome o = send("b@anywhere.example").getFirst();
        // the certificate names localhost, we connect to 127.0.0.1: verification fails, nothing is sent
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(sink.commands()).noneMatch(c -> c.startsWith("AUTH"));
    }

    @Test
    void implicitTlsSmarthostWithVerifiedCertificateAndAuth() throws IOException {
        TestTls tls = new TestTls("localhost");
        sink.implicitTls = tls.server;
        sink.extensions = List.of("AUTH LOGIN", "PIPELINING");
        dns.add("localhost. 300 IN A 127.0.0.1\n");
        courier(tls.trusting, new RouteSettings("*", "localhost", sink.port(), true, true, Optional.of("user"),
                Optional.of("secret")));
        Outcome o = send("b@anywhere.example").getFirst();
        assertThat(o).isInstanceOf(Outcome.Delivered.class);
        assertThat(o.hop().tls()).startsWith("TLSv1");
        assertThat(sink.commands()).contains("AUTH LOGIN", "user dXNlcg==", "password c2VjcmV0");
        assertThat(sink.messages().getFirst().tls()).isTrue();
    }

    @Test
    void requireTlsDefersWhenNotOffered() throws IOException {
        courier(null, new RouteSettings("example.net", "127.0.0.1", sink.port(), false, true, Optional.empty(),
                Optional.empty()));
        Outcome o = send("b@example.net").getFirst();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply().status()).hasToString("4.7.10");
        assertThat(sink.commands()).noneMatch(c -> c.startsWith("MAIL"));
    }

    @Test
    void smarthostAuthOverStartTls() throws IOException {
        TestTls tls = new TestTls("smarthost.test");
        sink.tls = tls.server;
        sink.extensions = List.of("AUTH PLAIN LOGIN", "PIPELINING");
        courier(tls.trusting, new RouteSettings("*", "127.0.0.1", sink.port(), false, false, Optional.of("user"),
                Optional.of("secret")));
        assertThat(send("b@anywhere.example").getFirst()).isInstanceOf(Outcome.Delivered.class);
        assertThat(sink.commands()).anyMatch(c -> c.startsWith("AUTH PLAIN "));
        assertThat(sink.messages().getFirst().tls()).isTrue();
    }
}
