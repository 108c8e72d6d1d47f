package org.postwerk.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.tls.CertifiedKey;

/** When to order, how long to wait after failures, and what is kept on disk. */
class AcmeRenewalTest {
    private static final TestCertificates CA = TestCertificates.ca("Test CA");
    private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

    @TempDir
    Path dir;

    private static Optional<CertifiedKey> valid(Instant from, Instant until, String... names) {
        TestCertificates c = CA.issue(names[0], from, until);
        if (names.length > 1) {
            c = CA.issueFor(names);
        }
        return Optional.of(CertifiedKey.of(List.of(c.certificate()), c.keys().getPrivate()));
    }

    @Test
    void dueRenewBeforeExpiryOrAfterTwoThirdsOfAShortLife() {
        List<String> names = List.of("mx.example.com");
        Optional<CertifiedKey> ninetyDays = valid(NOW, NOW.plus(Duration.ofDays(90)), "mx.example.com");
        assertThat(AcmeRenewal.due(ninetyDays, names, Duration.ofDays(30))).isEqualTo(NOW.plus(Duration.ofDays(60)));
        // A certificate of six days with renew_before 30 days: at day four, not at once and again and again.
        Optional<CertifiedKey> sixDays = valid(NOW, NOW.plus(Duration.ofDays(6)), "mx.example.com");
        assertThat(AcmeRenewal.due(sixDays, names, Duration.ofDays(30))).isEqualTo(NOW.plus(Duration.ofDays(4)));
    }

    @Test
    void dueAtOnceWithoutACertificateOrWhenANameIsMissing() {
        assertThat(AcmeRenewal.due(Optional.empty(), List.of("mx.example.com"), Duration.ofDays(30)))
                .isBefore(NOW);
        Optional<CertifiedKey> one = valid(NOW, NOW.plus(Duration.ofDays(90)), "mx.example.com");
        assertThat(AcmeRenewal.due(one, List.of("mx.example.com", "mta-sts.example.com"), Duration.ofDays(30)))
                .isBefore(NOW);
    }

    @Test
    void backoffDoublesFromOneMinuteToSixHours() {
        assertThat(List.of(0, 1, 2, 3, 8, 9, 60).stream().map(AcmeRenewal::backoff).toList()).containsExactly(
                Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
                Duration.ofMinutes(256), Duration.ofHours(6), Duration.ofHours(6));
    }

    @Test
    void theAccountKeyIsMadeOnceAndKeptPrivate() throws Exception {
        AcmeFiles files = AcmeFiles.in(dir);
        KeyPair first = files.accountKeyPair();
        KeyPair again = files.accountKeyPair();
        assertThat(again.getPublic()).isEqualTo(first.getPublic());
        assertThat(again.getPrivate().getEncoded()).isEqualTo(first.getPrivate().getEncoded());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.accountKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir()))).isEqualTo("rwx------");
    }

    @Test
    void theCertificateIsStoredPrivateAndReadBack() throws Exception {
        AcmeFiles files = AcmeFiles.in(dir);
        assertThat(files.current()).isEmpty();
        CertifiedKey issued = valid(NOW, NOW.plus(Duration.ofDays(90)), "mx.example.com").orElseThrow();
        files.store(issued);
        assertThat(files.current()).hasValueSatisfying(c -> {
            assertThat(c.chain()).isEqualTo(issued.chain());
            assertThat(c.names()).containsExactly("mx.example.com");
        });
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificate())))
                .isEqualTo("rw-------");
    }

    @Test
    void aRenewalRequestIsTakenOnce() throws Exception {
        AcmeFiles files = AcmeFiles.in(dir);
        assertThat(files.takeRenewRequest()).isFalse();
        files.requestRenewal();
        assertThat(files.takeRenewRequest()).isTrue();
        assertThat(files.takeRenewRequest()).isFalse();
    }
}
