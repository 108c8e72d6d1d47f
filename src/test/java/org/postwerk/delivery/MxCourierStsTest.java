package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.sts.Policies;
import org.postwerk.sts.PolicyFetch;
import org.postwerk.tls.TlsResults;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.testkit.TestHttpsServer;
import org.postwerk.testkit.TestHttpsServer.Response;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.ZoneResolver;
import org.postwerk.tls.ClientTls;

/**
 * MTA-STS in outbound delivery (RFC 8461 §4), every part real on loopback: the policy over HTTPS from a server
 * with a test CA's certificate, the MX a sink speaking STARTTLS with good, wrong-name, expired or self-signed
 * certificates. Each test says whether the mail went, waited or went with a logged failure.
 */
class MxCourierStsTest {
    static final TestCertificates CA = TestCertificates.ca("Test CA");
    static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";
    static final String TESTING = "version: STSv1\nmode: testing\nmx: mx.example.test\nmax_age: 86400\n";

    @TempDir
    Path dir;
    final SinkServer sink = new SinkServer();
    final TestHttpsServer web = new TestHttpsServer(TestTls.server(CA.issue("mta-sts.example.test"), CA.certificate()));
    final ZoneResolver dns = new ZoneResolver("""
            example.test.         300 IN MX 10 mx.example.test.
            mx.example.test.      300 IN A  127.0.0.1
            mta-sts.example.test. 300 IN A  127.0.0.1
            """);
    final List<String> results = new CopyOnWriteArrayList<>();
    /** The DNS the policy discovery sees: the MX zone, plus the TXT record once one is published. */
    ZoneResolver stsDns = dns;
    Policies policies;
    MxCourier courier;

    MxCourierStsTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        if (courier != null) {
            courier.close();
        }
        sink.close();
        web.close();
    }

    /** Publishes {@code policy} under TXT id {@code id} and makes a courier that honours MTA-STS. */
    MxCourier courier(String id, String policy, RouteSettings... routes) {
        stsDns = new ZoneResolver("mta-sts.example.test. 300 IN A 127.0.0.1\n"
                + "_mta-sts.example.test. 300 IN TXT \"v=STSv1; id=" + id + "\"\n");
        web.response = Response.policy(policy);
        return courier(routes);
    }

    MxCourier courier(RouteSettings... routes) {
        ClientTls verified = ClientTls.trusting(List.of(CA.certificate()));
        TlsResults recorder = new TlsResults() {
            @Override
            public void success(String domain, Policy policy, String mx, String ip) {
                results.add("success " + domain + " " + mx);
            }

            @Override
            public void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail) {
                results.add("failure " + domain + " " + mx + " " + type.code());
            }
        };
        if (courier != null) {
            courier.close();
        }
        policies = new Policies(stsDns, new PolicyFetch(stsDns, verified, web.port(), Duration.ofSeconds(5)),
                dir.resolve("mta-sts"), 100, Clock.systemUTC(), recorder);
        courier = new MxCourier(dns, new MxSettings(new ClientSettings("postwerk.test", MxCourierTest.FAST),
                sink.port(), verified, Duration.ofSeconds(30)), List.of(routes), policies, recorder);
        return courier;
    }

    void mxCertificate(TestCertificates leaf) {
        sink.tls = TestTls.server(leaf, CA.certificate());
    }

    Outcome send() throws IOException {
        return send(MxCourierTest.envelope(false, "bob@example.test"));
    }

    Outcome send(Envelope e) throws IOException {
        Path m = dir.resolve("m.eml");
        Files.writeString(m, "Subject: t\r\n\r\nbody\r\n");
        return courier.deliver(e, e.recipients(), m).getFirst();
    }

    @Test
    void enforceWithMatchingMxAndValidCertificateDelivers() throws IOException {
        mxCertificate(CA.issue("mx.example.test"));
        courier("1", ENFORCE);
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isTrue());
        assertThat(results).containsExactly("success example.test mx.example.test");
    }

    @Test
    void enforceWithMxNotInThePolicyWaits() throws IOException {
        mxCertificate(CA.issue("mx.example.test"));
        courier("1", ENFORCE.replace("mx: mx.example.test", "mx: *.elsewhere.test"));
        Outcome o = send();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply().status()).hasToString("4.7.0");
        assertThat(o.reply().lines().getFirst()).contains("mx.example.test not in the MTA-STS policy");
        assertThat(sink.connections()).isZero();
        assertThat(results).containsExactly("failure example.test mx.example.test validation-failure");
    }

    @Test
    void enforceWithCertificateForAnotherNameExpiredOrSelfSignedWaits() throws IOException {
        courier("1", ENFORCE);
        mxCertificate(CA.issue("other.example.test"));
        assertWaits("certificate-host-mismatch");
        Instant now = Instant.now();
        mxCertificate(CA.issue("mx.example.test", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))));
        assertWaits("certificate-expired");
        sink.tls = new TestTls("mx.example.test").server;
        assertWaits("certificate-not-trusted");
        assertThat(sink.messages()).isEmpty();
    }

    void assertWaits(String type) throws IOException {
        try (LogCapture log = new LogCapture("postwerk.delivery")) {
            Outcome o = send();
            assertThat(o).isInstanceOf(Outcome.Deferred.class);
            assertThat(o.reply().status()).hasToString("4.7.5");
            assertThat(o.reply().lines().getFirst())
                    .isEqualTo("MTA-STS: certificate of mx.example.test does not validate (" + type + ")");
            assertThat(log.linesWith("event=mta-sts-failure")).singleElement().asString()
                    .contains("mode=enforce", "type=" + type);
        }
    }

    @Test
    void enforceWithoutStarttlsWaits() throws IOException {
        courier("1", ENFORCE);
        Outcome o = send();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply().status()).hasToString("4.7.10");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void testingWithBadCertificateDeliversAndLogsTheFailure() throws IOException {
        mxCertificate(CA.issue("other.example.test"));
        courier("1", TESTING);
        try (LogCapture log = new LogCapture("postwerk.delivery")) {
            assertThat(send()).isInstanceOf(Outcome.Delivered.class);
            assertThat(log.linesWith("event=mta-sts-failure")).singleElement().asString()
                    .contains("mode=testing", "type=certificate-host-mismatch", "action=delivering-anyway");
        }
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isTrue());
        assertThat(results).containsExactly("failure example.test mx.example.test certificate-host-mismatch");
    }

    @Test
    void withoutTxtRecordDeliveryIsOpportunisticAsBefore() throws IOException {
        sink.tls = new TestTls("mx.example.test").server; // self-signed: fine for opportunistic TLS
        courier();
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isTrue());
        assertThat(web.hosts()).isEmpty();
        assertThat(results).isEmpty();
    }

    @Test
    void cachedPolicyAppliesWhenTheFetchFailsEvenAfterARestart() throws IOException {
        mxCertificate(CA.issue("mx.example.test"));
        courier("1", ENFORCE);
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        // A new id is published but its policy cannot be fetched; the server restarted meanwhile (a new
        // courier over the same data folder): the cached enforce policy still holds.
        courier("2", ENFORCE);
        web.response = new Response(503, "text/plain", "down", null, false);
        mxCertificate(CA.issue("other.example.test"));
        assertThat(send()).isInstanceOf(Outcome.Deferred.class);
        assertThat(sink.messages()).hasSize(1);
        assertThat(web.hosts()).hasSize(2);
        assertThat(results).contains("failure example.test null sts-policy-fetch-error");
    }

    @Test
    void anIdleConnectionOpenedWithoutThePolicyIsNotReusedOnceItIsEnforced() throws IOException {
        sink.tls = new TestTls("mx.example.test").server;
        courier(); // discovery sees the MX zone, which has no TXT record yet
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        dns.add("_mta-sts.example.test. 300 IN TXT \"v=STSv1; id=1\"\n");
        web.response = Response.policy(ENFORCE);
        assertThat(send()).isInstanceOf(Outcome.Deferred.class);
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void redirectedPolicyIsNotFollowedSoThereIsNoPolicy() throws IOException {
        sink.tls = new TestTls("mx.example.test").server;
        courier("1", ENFORCE);
        web.response = new Response(302, "text/plain", "", "https://mta-sts.example.test/real.txt", false);
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertThat(web.hosts()).hasSize(1);
        assertThat(results).containsExactly("failure example.test null sts-policy-fetch-error");
    }

    @Test
    void explicitRouteIsNotSubjectToThePolicy() throws IOException {
        courier("1", ENFORCE.replace("mx: mx.example.test", "mx: *.elsewhere.test"),
                new RouteSettings("example.test", "127.0.0.1", sink.port(), false, false, Optional.empty(),
                        Optional.empty()));
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertThat(web.hosts()).isEmpty();
    }
}
