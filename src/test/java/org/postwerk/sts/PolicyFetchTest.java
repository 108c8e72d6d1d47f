package org.postwerk.sts;

import org.postwerk.tls.TlsResults;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.testkit.TestHttpsServer;
import org.postwerk.testkit.TestHttpsServer.Response;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.ZoneResolver;
import org.postwerk.tls.ClientTls;

/** The fetch against a real HTTPS server on loopback, with certificates from a test CA. */
class PolicyFetchTest {
    static final String POLICY = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n";
    static final TestCertificates CA = TestCertificates.ca("Test CA");

    final ZoneResolver dns = new ZoneResolver("mta-sts.example.test. 300 IN A 127.0.0.1\n");
    TestHttpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    TestHttpsServer serve(SSLContext tls, Response response) {
        server = new TestHttpsServer(tls);
        server.response = response;
        return server;
    }

    static SSLContext good() {
        return TestTls.server(CA.issue("mta-sts.example.test"), CA.certificate());
    }

    PolicyFetch.Result fetch(int port, Duration timeout) {
        return new PolicyFetch(dns, ClientTls.trusting(List.of(CA.certificate())), port, timeout).fetch("example.test");
    }

    PolicyFetch.Result fetch() {
        return fetch(server.port(), Duration.ofSeconds(5));
    }

    @Test
    void fetchesAndParsesThePolicyWithTheHostHeader() {
        serve(good(), Response.policy(POLICY));
        assertThat(fetch()).isEqualTo(new PolicyFetch.Result.Fetched(StsPolicyTest.valid(POLICY)));
        assertThat(server.hosts()).containsExactly("mta-sts.example.test:" + server.port()
                + " /.well-known/mta-sts.txt");
    }

    @Test
    void chunkedBodyAndCharsetParameter() {
        serve(good(), new Response(200, "text/plain; charset=utf-8", POLICY, null, true));
        assertThat(fetch()).isInstanceOf(PolicyFetch.Result.Fetched.class);
    }

    @Test
    void redirectIsNotFollowed() {
        serve(good(), new Response(301, "text/plain", "", "https://mta-sts.example.test/elsewhere.txt", false));
        assertThat(fetch()).isInstanceOfSatisfying(PolicyFetch.Result.Failed.class, f -> {
            assertThat(f.type()).isEqualTo(TlsResults.Failure.STS_POLICY_FETCH_ERROR);
            assertThat(f.reason()).contains("301", "not followed");
        });
        assertThat(server.hosts()).hasSize(1);
    }

    @Test
    void notFoundWrongMediaTypeTooLargeAndInvalidPolicy() {
        serve(good(), new Response(404, "text/plain", "no", null, false));
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_POLICY_FETCH_ERROR);
        server.response = new Response(200, "text/html", POLICY, null, false);
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_POLICY_INVALID);
        server.response = Response.policy(POLICY + "x: " + "y".repeat(PolicyFetch.MAX_BODY) + "\n");
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_POLICY_FETCH_ERROR);
        server.response = new Response(200, "text/plain", POLICY + "x: " + "y".repeat(PolicyFetch.MAX_BODY), null, true);
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_POLICY_FETCH_ERROR);
        server.response = Response.policy("version: STSv1\nmode: enforce\n");
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_POLICY_INVALID);
    }

    @Test
    void certificateForAnotherNameExpiredOrSelfSignedIsRefused() {
        serve(TestTls.server(CA.issue("www.example.test"), CA.certificate()), Response.policy(POLICY));
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_WEBPKI_INVALID);
        server.close();
        Instant now = Instant.now();
        serve(TestTls.server(CA.issue("mta-sts.example.test", now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1))), CA.certificate()), Response.policy(POLICY));
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_WEBPKI_INVALID);
        server.close();
        serve(new TestTls("mta-sts.example.test").server, Response.policy(POLICY));
        assertThat(failure()).isEqualTo(TlsResults.Failure.STS_WEBPKI_INVALID);
        assertThat(server.hosts()).isEmpty();
    }

    @Test
    void silentServerTimesOutWithinTheBound() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            long start = System.nanoTime();
            PolicyFetch.Result r = fetch(silent.getLocalPort(), Duration.ofMillis(500));
            assertThat(r).isInstanceOf(PolicyFetch.Result.Failed.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void noAddressForThePolicyHost() {
        PolicyFetch.Result r = new PolicyFetch(dns, ClientTls.trusting(List.of(CA.certificate())), 443,
                Duration.ofSeconds(1)).fetch("nowhere.test");
        assertThat(r).isInstanceOfSatisfying(PolicyFetch.Result.Failed.class,
                f -> assertThat(f.reason()).contains("mta-sts.nowhere.test"));
    }

    private TlsResults.Failure failure() {
        return ((PolicyFetch.Result.Failed) fetch()).type();
    }
}
