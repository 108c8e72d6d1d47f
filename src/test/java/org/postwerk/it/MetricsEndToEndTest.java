package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.net.Listener;
import org.postwerk.testkit.PrometheusText;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.tls.ClientTls;

/**
 * Mail through a whole server on real sockets, then {@code /metrics} from its ops listener, read with a strict
 * parser of the Prometheus text format: the counters of what just happened have moved, and {@code /health}
 * says ready.
 */
class MetricsEndToEndTest {
    private static final InetAddress LO = InetAddress.getLoopbackAddress();
    @TempDir
    Path dir;
    private TestDnsServer dns;
    private SinkServer sink;
    private Postwerk server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer("sender.example. 300 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n")
                .serverFailure("broken.example");
        sink = new SinkServer(); // the next hop for remote.example
        TomlServer.alice(dir);
        server = TomlServer.start(dir, """
                hostname = "mx.example.test"
                data_dir = "data"
                local_domains = ["example.test"]
                relay_networks = ["127.0.0.0/8"]
                [smtp]
                postmaster = "alice@example.test"
                [dns]
                servers = ["%s:%d"]
                timeout = "2s"
                [[route]]
                domain = "remote.example"
                host = "127.0.0.1"
                port = %d
                """.formatted(dns.address().getAddress().getHostAddress(), dns.address().getPort(), sink.port()),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(LO, 0), false),
                        new ListenerConfig(Role.SUBMISSIONS, new InetSocketAddress(LO, 0), false),
                        new ListenerConfig(Role.OPS, new InetSocketAddress(LO, 0), false)));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        dns.close();
        sink.close();
    }

    @Test
    void countersMoveWhenMailFlows() throws Exception {
        PrometheusText before = metrics();
        assertThat(before.sum("postwerk_messages_received_total", Map.of())).isZero();
        assertThat(before.type("postwerk_journal_commit_seconds")).contains("histogram");
        // Every rate limit has its series from the start, so an alert on it needs no first trip.
        assertThat(before.value("postwerk_rate_limited_total", Map.of("limit", "messages_per_user"))).contains(0.0);
        assertThat(before.series("postwerk_rate_limited_total")).hasSize(11);

        try (SmtpScript s = SmtpScript.connect(listener(Role.SMTP))) {
            s.expect("220 .*").send("EHLO client.sender.example").expect("250 .*");
            s.send("MAIL FROM:<bob@sender.example>").expect("250 .*");
            s.send("RCPT TO:<nobody@example.test>").expect("550 5.1.1 .*");
            s.send("RCPT TO:<alice@example.test>").expect("250 .*");
            s.send("DATA").expect("354 .*");
            s.send("Subject: hello\r\nMessage-ID: <m1@sender.example>\r\n\r\nHi.\r\n.").expect("250 .*");
            s.send("MAIL FROM:<bob@sender.example>").expect("250 .*");
            s.send("RCPT TO:<carol@remote.example>").expect("250 .*"); // queued, then relayed to the sink
            s.send("DATA").expect("354 .*");
            s.send("Subject: onwards\r\n\r\nHi.\r\n.").expect("250 .*");
            s.send("MAIL FROM:<eve@broken.example>").expect("250 .*"); // SPF: SERVFAIL, tagged only
            s.send("QUIT").expect("221 .*");
        }
        try (SmtpScript s = SmtpScript.connect(listener(Role.SUBMISSIONS))) {
            s.attach(ClientTls.opportunistic().wrap(s.socket(), "mx.example.test", Duration.ofSeconds(5)));
            s.expect("220 .*").send("EHLO laptop").expect("250 .*");
            s.send("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice@example.test\0wrong".getBytes()))
                    .expect("535 .*");
            s.send("QUIT").expect("221 .*");
        }

        PrometheusText after = awaitDelivery();
        Map<String, String> smtp = Map.of("listener", "smtp");
        assertThat(after.sum("postwerk_sessions_total", smtp)).isEqualTo(1);
        assertThat(after.sum("postwerk_messages_received_total", smtp)).isEqualTo(2);
        assertThat(after.sum("postwerk_recipients_total", smtp)).isEqualTo(2);
        assertThat(after.sum("postwerk_messages_rejected_total", Map.of("listener", "smtp", "stage", "rcpt",
                "status", "5.1.1"))).isEqualTo(1);
        assertThat(after.sum("postwerk_auth_failures_total", Map.of("listener", "submissions"))).isEqualTo(1);
        assertThat(after.sum("postwerk_tls_inbound_total", Map.of("listener", "submissions", "protocol", "TLSv1.3")))
                .isEqualTo(1);
        assertThat(after.sum("postwerk_sessions_open", Map.of())).isZero();
        // One attempt to a domain seen once: it counts under "other" until it has earned a series of its own.
        assertThat(after.value("postwerk_delivery_attempts_total", Map.of("result", "sent", "destination", "other")))
                .contains(1.0);
        assertThat(after.series("postwerk_delivery_attempts_total")).extracting(s -> s.labels().get("destination"))
                .doesNotContain("remote.example");
        assertThat(after.value("postwerk_tls_outbound_total", Map.of("protocol", "none"))).contains(1.0);
        assertThat(after.sum("postwerk_journal_commit_seconds_count", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(after.sum("postwerk_journal_batch_records_count", Map.of())).isGreaterThanOrEqualTo(1);
        assertThat(after.sum("postwerk_dns_query_seconds_count", Map.of("type", "TXT"))).isGreaterThanOrEqualTo(1);
        assertThat(after.sum("postwerk_dns_failures_total", Map.of("type", "TXT", "kind", "rcode")))
                .isGreaterThanOrEqualTo(1);
        assertThat(after.series("postwerk_queue_entries")).extracting(s -> s.labels().get("state"))
                .containsExactlyInAnyOrder("held", "deferred", "pending");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"listeners\":true", "\"journal\":true", "\"queue\":true");
    }

    @Test
    void healthTurnsNotReadyWhenTheListenersStop() throws Exception {
        server.listeners().forEach(Listener::stopAccepting);

        HttpResponse<String> health = get("/health");

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"listeners\":false", "\"status\":\"not ready\"");
    }

    private PrometheusText awaitDelivery() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            PrometheusText m = metrics();
            if (m.sum("postwerk_delivery_attempts_total", Map.of("result", "sent")) > 0
                    || System.nanoTime() > deadline) {
                return m;
            }
            Thread.sleep(50);
        }
    }

    private InetSocketAddress listener(Role role) {
        return server.listeners().stream().filter(l -> l.role() == role).findFirst().orElseThrow().address();
    }

    private PrometheusText metrics() throws Exception {
        HttpResponse<String> r = get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.parse(r.body());
    }

    private HttpResponse<String> get(String path) throws Exception {
        InetSocketAddress ops = server.opsAddress().orElseThrow();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ops.getPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
