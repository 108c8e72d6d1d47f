package org.postwerk.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedTest {
    @TempDir
    Path dir;

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    @Test
    void firstStartCreatesThePairAndLaterStartsReuseIt() throws Exception {
        SelfSigned.Material first = SelfSigned.loadOrCreate(dir, "mx.example.org", at(NOW));
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        X509Certificate c = first.chain().getFirst();
        assertThat(c.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder((Object) "mx.example.org", "localhost");
        assertThat(Duration.between(NOW, c.getNotAfter().toInstant())).isEqualTo(Duration.ofDays(365));
        assertThat(c.getPublicKey().getAlgorithm()).isEqualTo("EC");
        FileTime certTime = Files.getLastModifiedTime(cert);
        String certText = Files.readString(cert);

        SelfSigned.Material second = SelfSigned.loadOrCreate(dir, "MX.example.org", at(NOW.plus(Duration.ofDays(300))));
        assertThat(second.chain().getFirst()).isEqualTo(c);
        assertThat(Files.readString(cert)).isEqualTo(certText);
        assertThat(Files.getLastModifiedTime(cert)).isEqualTo(certTime);
    }

    @Test
    void expiredOrRenamedOrMismatchedPairIsReplaced() throws Exception {
        X509Certificate original = SelfSigned.loadOrCreate(dir, "mx.example.org", at(NOW)).chain().getFirst();
        X509Certificate renewed = SelfSigned.loadOrCreate(dir, "mx.example.org", at(NOW.plus(Duration.ofDays(365))))
                .chain().getFirst();
        assertThat(renewed).isNotEqualTo(original);

        X509Certificate renamed = SelfSigned.loadOrCreate(dir, "mail.example.org", at(NOW)).chain().getFirst();
        assertThat(renamed).isNotEqualTo(renewed);

        // A crash between the two writes: the key is new, the certificate old.
        Files.writeString(dir.resolve("key.pem"), new String(PemFiles.encodeKey(
                SelfSigned.generate("mail.example.org", NOW).key()), java.nio.charset.StandardCharsets.US_ASCII));
        X509Certificate repaired = SelfSigned.loadOrCreate(dir, "mail.example.org", at(NOW)).chain().getFirst();
        assertThat(repaired).isNotEqualTo(renamed);

        Files.writeString(dir.resolve("cert.pem"), "garbage");
        assertThat(SelfSigned.loadOrCreate(dir, "mail.example.org", at(NOW)).chain().getFirst())
                .isNotEqualTo(repaired);
    }
}
