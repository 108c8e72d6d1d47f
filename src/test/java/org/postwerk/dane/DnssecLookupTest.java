package org.postwerk.dane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.SignedZone;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestValidatingResolver;

/**
 * Both validation modes of ADR 0019 against one zone signed on the fly and served on loopback: dnsjava's own
 * validator from a trust anchor file ({@code local}), and the AD bit of a validating resolver on loopback
 * ({@code resolver-ad}). Each gives the same answers: secure, insecure (unsigned zone), bogus (a record the key
 * never signed), and a validated denial.
 */
class DnssecLookupTest {
    static final String TLSA = "3 1 1 " + "ab".repeat(32);

    @TempDir
    Path dir;
    final TestDnsServer dns = new TestDnsServer();
    final SignedZone zone = new SignedZone("example.test", """
            @ MX 10 mx
            mx A 127.0.0.1
            _25._tcp.mx TLSA %s
            bad A 127.0.0.2
            _25._tcp.bad TLSA %s
            """.formatted(TLSA, TLSA));
    TestValidatingResolver validating;

    DnssecLookupTest() {
        dns.add(zone);
        dns.add("_25._tcp.bad.example.test. 300 IN TLSA 3 1 1 " + "00".repeat(32) + "\n"); // unsigned: bogus
        dns.add("plain.test. 300 IN MX 10 mx.plain.test.\nmx.plain.test. 300 IN A 127.0.0.1\n"
                + "_25._tcp.mx.plain.test. 300 IN TLSA " + TLSA + "\n");
    }

    @AfterEach
    void stop() {
        dns.close();
        if (validating != null) {
            validating.close();
        }
    }

    TlsaLookup local() throws IOException {
        Path anchors = dir.resolve("anchors");
        Files.writeString(anchors, zone.trustAnchor());
        return DnssecLookup.local(List.of(dns.address()), anchors, Duration.ofSeconds(2));
    }

    TlsaLookup resolverAd() {
        validating = new TestValidatingResolver(dns.address(), zone.trustAnchor());
        return DnssecLookup.resolverAd(List.of(validating.address()), Duration.ofSeconds(2));
    }

    void assertAnswers(TlsaLookup lookup) {
        assertThat(lookup.mx("example.test")).isEqualTo(Security.SECURE);
        assertThat(lookup.addresses("mx.example.test")).isEqualTo(Security.SECURE); // A, and a validated no AAAA
        assertThat(lookup.tlsa("mx.example.test", 25)).isInstanceOfSatisfying(TlsaAnswer.Secure.class,
                s -> assertThat(s.records()).extracting(Tlsa::presentation).containsExactly(TLSA));
        assertThat(lookup.tlsa("mx.example.test", 587)).isInstanceOf(TlsaAnswer.None.class); // validated NXDOMAIN
        assertThat(lookup.tlsa("bad.example.test", 25)).isInstanceOf(TlsaAnswer.Bogus.class);
        assertThat(lookup.mx("plain.test")).isEqualTo(Security.INSECURE);
        assertThat(lookup.tlsa("mx.plain.test", 25)).isInstanceOf(TlsaAnswer.None.class);
    }

    @Test
    void localValidationWithTheZoneKeyAsTrustAnchor() throws IOException {
        assertAnswers(local());
    }

    @Test
    void adBitOfAValidatingResolverOnLoopback() {
        assertAnswers(resolverAd());
    }

    @Test
    void aResolverThatDoesNotValidateGivesNoAdBitSoNothingIsSecure() {
        // The authoritative server itself never sets AD: trusting the AD bit then means no DANE, not false DANE.
        TlsaLookup lookup = DnssecLookup.resolverAd(List.of(dns.address()), Duration.ofSeconds(2));
        assertThat(lookup.mx("example.test")).isEqualTo(Security.INSECURE);
        assertThat(lookup.tlsa("mx.example.test", 25)).isInstanceOf(TlsaAnswer.None.class);
    }

    @Test
    void aResolverThatDoesNotAnswerIsBogusNotInsecure() throws IOException {
        // RFC 7672 §2.1.1: an indeterminate answer must not be taken for "no DANE".
        try (var silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            TlsaLookup lookup = DnssecLookup.resolverAd(List.of(new InetSocketAddress(silent.getLocalAddress(),
                    silent.getLocalPort())), Duration.ofMillis(200));
            assertThat(lookup.mx("example.test")).isEqualTo(Security.BOGUS);
            assertThat(lookup.tlsa("mx.example.test", 25)).isInstanceOf(TlsaAnswer.Bogus.class);
        }
    }

    @Test
    void aTrustAnchorFileWithoutKeysIsRefused() throws IOException {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "; nothing\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> DnssecLookup.local(List.of(dns.address()), empty, Duration.ofSeconds(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("no DS or DNSKEY");
    }
}
