package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.dane.DnssecLookup;
import org.postwerk.dane.TlsaLookup;
import org.postwerk.dane.Tlsa;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.queue.Envelope;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.sts.Policies;
import org.postwerk.sts.PolicyFetch;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.SignedZone;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestHttpsServer;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.TestValidatingResolver;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.TlsResults;

/**
 * DANE in outbound delivery (RFC 7672), every part real on loopback: a zone signed on the fly and served by an
 * authoritative DNS server, dnsjava's validating resolver with the zone's key as trust anchor, and an MX sink
 * speaking STARTTLS. Each test says whether the mail went or waited, and what was reported.
 */
class MxCourierDaneTest {
    static final TestCertificates CA = TestCertificates.ca("DANE Test CA");

    @TempDir
    Path dir;
    final SinkServer sink = new SinkServer();
    final TestDnsServer dns = new TestDnsServer();
    final List<String> results = new CopyOnWriteArrayList<>();
    MxCourier courier;
    TestValidatingResolver validating;

    MxCourierDaneTest() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        if (courier != null) {
            courier.close();
        }
        sink.close();
        dns.close();
        if (validating != null) {
            validating.close();
        }
    }

    /** Signs example.test with MX mx.example.test, publishes {@code tlsa} (zone lines at the TLSA name). */
    void signedZone(String... tlsa) throws IOException {
        SignedZone signed = sign(tlsa);
        Path anchors = dir.resolve("anchors");
        Files.writeString(anchors, signed.trustAnchor());
        courier(DnssecLookup.local(List.of(dns.address()), anchors, Duration.ofSeconds(2)), null);
    }

    SignedZone sign(String... tlsa) {
        StringBuilder zone = new StringBuilder("@ MX 10 mx\nmx A 127.0.0.1\n");
        for (String t : tlsa) {
            zone.append("_").append(sink.port()).append("._tcp.mx TLSA ").append(t).append('\n');
        }
        SignedZone signed = new SignedZone("example.test", zone.toString());
        dns.add(signed);
        return signed;
    }

    void courier(TlsaLookup lookup, Policies policies) {
        if (courier != null) {
            courier.close();
        }
        TlsResults recorder = new TlsResults() {
            @Override
            public void success(String domain, Policy policy, String mx, String ip) {
                results.add("success " + domain + " " + mx + " " + policy.type().code() + " " + policy.strings());
            }

            @Override
            public void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail) {
                results.add("failure " + domain + " " + mx + " " + type.code());
            }
        };
        var resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
                new DnsCache(Clock.systemUTC(), 100, Duration.ofHours(1)));
        courier = new MxCourier(resolver, new MxSettings(new ClientSettings("postwerk.test", MxCourierTest.FAST),
                sink.port(), ClientTls.trusting(List.of(CA.certificate())), Duration.ofSeconds(30)), List.of(),
                policies, lookup, recorder);
    }

    Outcome send(String rcpt) throws IOException {
        Envelope e = MxCourierTest.envelope(false, rcpt);
        Path m = dir.resolve("m.eml");
        Files.writeString(m, "Subject: t\r\n\r\nbody\r\n");
        return courier.deliver(e, e.recipients(), m).getFirst();
    }

    Outcome send() throws IOException {
        return send("bob@example.test");
    }

    static String record(int usage, int selector, int matching, X509Certificate cert) throws Exception {
        byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        return usage + " " + selector + " " + matching + " "
                + HexFormat.of().formatHex(Tlsa.digest(matching, selected));
    }

    void mx(TestCertificates leaf) {
        sink.tls = TestTls.server(leaf, CA.certificate());
    }

    void assertWentOverTls() {
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isTrue());
    }

    void assertWaits(String type) throws IOException {
        try (LogCapture log = new LogCapture("postwerk.delivery")) {
            Outcome o = send();
            assertThat(o).isInstanceOf(Outcome.Deferred.class);
            assertThat(o.reply().status()).hasToString("4.7.5");
            assertThat(o.reply().lines().getFirst()).startsWith("DANE: ");
            assertThat(log.linesWith("event=dane-failure")).singleElement().asString()
                    .contains("domain=example.test", "type=" + type);
        }
        assertThat(sink.messages()).isEmpty();
        assertThat(results).last().asString().startsWith("failure example.test").endsWith(type);
    }

    @Test
    void daneEeSpkiSha256MatchesAndTheMailGoes() throws Exception {
        TestCertificates leaf = CA.issue("mx.example.test");
        mx(leaf);
        String tlsa = record(3, 1, 1, leaf.certificate());
        signedZone(tlsa);
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
        assertThat(results).containsExactly("success example.test mx.example.test tlsa [" + tlsa + "]");
    }

    @Test
    void daneEeFullCertificateIgnoresNameAndExpiry() throws Exception {
        // RFC 7672 §3.1.1: with DANE-EE neither the name nor the dates of the certificate are checked.
        Instant now = Instant.now();
        TestCertificates leaf = CA.issue("elsewhere.test", now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)));
        sink.tls = TestTls.server(leaf);
        signedZone(record(3, 0, 0, leaf.certificate()));
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
    }

    @Test
    void daneTaSha512OfTheIssuerWithTheRightNameGoes() throws Exception {
        mx(CA.issue("mx.example.test"));
        signedZone(record(2, 0, 2, CA.certificate()));
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
    }

    @Test
    void daneTaWithACertificateForAnotherNameWaits() throws Exception {
        mx(CA.issue("other.example.test"));
        signedZone(record(2, 0, 1, CA.certificate()));
        assertWaits("certificate-host-mismatch");
    }

    @Test
    void adBitOfAValidatingResolverOnLoopbackGivesTheSameOutcomes() throws Exception {
        TestCertificates leaf = CA.issue("mx.example.test");
        mx(leaf);
        SignedZone signed = sign(record(3, 1, 1, leaf.certificate()));
        validating = new TestValidatingResolver(dns.address(), signed.trustAnchor());
        TlsaLookup lookup = DnssecLookup.resolverAd(List.of(validating.address()), Duration.ofSeconds(2));
        courier(lookup, null);
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
        mx(CA.issue("mx.example.test")); // a new key the TLSA record does not name
        courier(lookup, null); // a fresh connection: an idle one would be reused, as authenticated before
        assertThat(send()).isInstanceOf(Outcome.Deferred.class);
        assertThat(sink.messages()).hasSize(1);
        assertThat(results).last().asString().endsWith("tlsa-invalid");
    }

    @Test
    void daneTakesPrecedenceOverMtaSts() throws Exception {
        // RFC 8461 §2: an enforced policy whose mx list leaves our MX out would make the mail wait; the host has
        // DANE, so the policy is not applied to it.
        TestCertificates leaf = CA.issue("mx.example.test");
        mx(leaf);
        try (TestHttpsServer web = new TestHttpsServer(TestTls.server(CA.issue("mta-sts.example.test"),
                CA.certificate()))) {
            web.response = TestHttpsServer.Response.policy(
                    "version: STSv1\nmode: enforce\nmx: *.elsewhere.test\nmax_age: 86400\n");
            SignedZone signed = sign(record(3, 1, 1, leaf.certificate()));
            dns.add("_mta-sts.example.test. 300 IN TXT \"v=STSv1; id=1\"\nmta-sts.example.test. 300 IN A 127.0.0.1\n");
            Path anchors = dir.resolve("anchors");
            Files.writeString(anchors, signed.trustAnchor());
            var resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
                    new DnsCache(Clock.systemUTC(), 100, Duration.ofHours(1)));
            ClientTls verified = ClientTls.trusting(List.of(CA.certificate()));
            Policies policies = new Policies(resolver, new PolicyFetch(resolver, verified, web.port(),
                    Duration.ofSeconds(5)), dir.resolve("mta-sts"), 100, Clock.systemUTC(), TlsResults.NONE);
            courier(DnssecLookup.local(List.of(dns.address()), anchors, Duration.ofSeconds(2)), policies);
            assertThat(send()).isInstanceOf(Outcome.Delivered.class);
            assertThat(web.hosts()).hasSize(1); // the policy was had, and not applied
        }
        assertWentOverTls();
    }

    @Test
    void wrongTlsaRecordMakesTheMailWait() throws Exception {
        mx(CA.issue("mx.example.test"));
        signedZone(record(3, 1, 1, CA.issue("mx.example.test").certificate())); // another key
        assertWaits("tlsa-invalid");
        assertThat(sink.connections()).isEqualTo(1); // and no second, plain-text attempt
    }

    @Test
    void noStarttlsWithDaneWaits() throws Exception {
        signedZone(record(3, 1, 1, CA.issue("mx.example.test").certificate()));
        assertWaits("dane-required");
    }

    @Test
    void bogusSignatureOnTheTlsaRecordsMakesTheMailWait() throws Exception {
        TestCertificates leaf = CA.issue("mx.example.test");
        mx(leaf);
        signedZone(record(3, 1, 1, leaf.certificate()));
        // A record the zone's key never signed joins the RRset: its RRSIG no longer verifies (RFC 4035 §5.3).
        dns.add("_" + sink.port() + "._tcp.mx.example.test. 300 IN TLSA 3 1 1 "
                + "00".repeat(32) + "\n");
        assertWaits("dnssec-invalid");
        assertThat(sink.connections()).isZero();
    }

    @Test
    void bogusMxRecordsMakeTheMailWaitWithoutTryingAnyHost() throws Exception {
        TestCertificates leaf = CA.issue("mx.example.test");
        mx(leaf);
        signedZone(record(3, 1, 1, leaf.certificate()));
        dns.add("example.test. 300 IN MX 20 mx.example.test.\n"); // never signed: the MX RRset is bogus
        try (LogCapture log = new LogCapture("postwerk.delivery")) {
            Outcome o = send();
            assertThat(o).isInstanceOf(Outcome.Deferred.class);
            assertThat(o.reply().lines().getFirst()).isEqualTo(
                    "DANE: DNSSEC validation of the MX records of example.test failed");
            assertThat(log.linesWith("event=dane-failure")).singleElement().asString().contains("type=dnssec-invalid");
        }
        assertThat(sink.connections()).isZero();
        assertThat(results).containsExactly("failure example.test null dnssec-invalid");
    }

    @Test
    void aPlainDnsFailureKeepsItsOwnReason() throws Exception {
        signedZone();
        dns.timeout("example.test", org.xbill.DNS.Type.MX);
        Outcome o = send();
        assertThat(o).isInstanceOf(Outcome.Deferred.class);
        assertThat(o.reply().lines().getFirst()).startsWith("DNS lookup of MX for example.test failed");
        assertThat(results).isEmpty();
    }

    @Test
    void onlyUnusableRecordsMeanTlsWithoutAuthentication() throws Exception {
        // RFC 7672 §3.1.3: PKIX-EE(1) is unusable for SMTP; §2.2: TLS stays mandatory, unauthenticated.
        sink.tls = new TestTls("self-signed.test").server;
        signedZone(record(1, 1, 1, CA.certificate()));
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
    }

    @Test
    void onlyUnusableRecordsDoNotAuthenticateTheMxForRequireTls() throws Exception {
        // RFC 8689 §4.2.1: a REQUIRETLS message needs an authenticated MX. Unusable TLSA records give TLS without
        // authentication, so the domain's MTA-STS policy still decides: its certificate check fails here.
        sink.tls = new TestTls("self-signed.test").server;
        sink.extensions = java.util.stream.Stream.concat(sink.extensions.stream(), java.util.stream.Stream.of(
                "REQUIRETLS")).toList();
        try (TestHttpsServer web = new TestHttpsServer(TestTls.server(CA.issue("mta-sts.example.test"),
                CA.certificate()))) {
            web.response = TestHttpsServer.Response.policy(
                    "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n");
            SignedZone signed = sign(record(1, 1, 1, CA.certificate()));
            dns.add("_mta-sts.example.test. 300 IN TXT \"v=STSv1; id=1\"\nmta-sts.example.test. 300 IN A 127.0.0.1\n");
            Path anchors = dir.resolve("anchors");
            Files.writeString(anchors, signed.trustAnchor());
            var resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
                    new DnsCache(Clock.systemUTC(), 100, Duration.ofHours(1)));
            Policies policies = new Policies(resolver, new PolicyFetch(resolver,
                    ClientTls.trusting(List.of(CA.certificate())), web.port(), Duration.ofSeconds(5)),
                    dir.resolve("mta-sts"), 100, Clock.systemUTC(), TlsResults.NONE);
            courier(DnssecLookup.local(List.of(dns.address()), anchors, Duration.ofSeconds(2)), policies);
            Envelope e = MxCourierTest.envelope(false, "bob@example.test").withTls(
                    org.postwerk.smtp.TlsRequirement.REQUIRED);
            Path m = dir.resolve("m.eml");
            Files.writeString(m, "Subject: t\r\n\r\nbody\r\n");
            Outcome o = courier.deliver(e, e.recipients(), m).getFirst();
            assertThat(o).isInstanceOf(Outcome.Deferred.class);
            assertThat(o.reply().lines().getFirst()).startsWith("MTA-STS: certificate of mx.example.test");
            // Without REQUIRETLS the host's DANE (mandatory TLS, unauthenticated) sets the policy aside: it goes.
            assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        }
        assertWentOverTls();
    }

    @Test
    void onlyUnusableRecordsAndNoStarttlsWaits() throws Exception {
        signedZone(record(1, 1, 1, CA.certificate()));
        assertWaits("dane-required");
    }

    @Test
    void secureZoneWithoutTlsaGoesOpportunistically() throws Exception {
        signedZone(); // a validated NXDOMAIN for the TLSA name: no DANE
        assertThat(send()).isInstanceOf(Outcome.Delivered.class);
        assertThat(sink.messages()).singleElement().satisfies(m -> assertThat(m.tls()).isFalse());
        assertThat(results).isEmpty();
    }

    @Test
    void unsignedZoneIsInsecureSoEvenAWrongTlsaRecordIsIgnored() throws Exception {
        signedZone();
        dns.add("plain.test. 300 IN MX 10 mx.plain.test.\nmx.plain.test. 300 IN A 127.0.0.1\n"
                + "_" + sink.port() + "._tcp.mx.plain.test. 300 IN TLSA 3 1 1 " + "00".repeat(32) + "\n");
        sink.tls = new TestTls("mx.plain.test").server;
        assertThat(send("bob@plain.test")).isInstanceOf(Outcome.Delivered.class);
        assertWentOverTls();
        assertThat(results).isEmpty();
    }
}
