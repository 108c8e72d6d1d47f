package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The key files keep only the private key: the public key record must come back from it, for both key types. */
class DkimKeysTest {
    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(Algorithm.KeyType.class)
    void thePublicKeyIsDerivedFromTheStoredPrivateKey(Algorithm.KeyType type) throws Exception {
        KeyPair pair = DkimKeys.generate(type);
        DkimKeys keys = new DkimKeys(data);
        Path file = keys.path("example.org", "s1");
        Files.createDirectories(file.getParent());
        Files.write(file, DkimKeys.pem(pair));
        DkimSigner.Key stored = keys.forDomain("example.org").getFirst();
        assertThat(DkimKeys.publicKey(stored.privateKey()).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        assertThat(DkimKeys.txtRecord(DkimKeys.publicKey(stored.privateKey())))
                .isEqualTo(DkimKeys.txtRecord(pair.getPublic()));
    }

    @ParameterizedTest
    @EnumSource(Algorithm.KeyType.class)
    void txtStringsAreAtMost255BytesAndJoinBackToTheRecord(Algorithm.KeyType type) {
        String text = DkimKeys.txtRecord(DkimKeys.generate(type).getPublic());
        String strings = DkimKeys.txtStrings(text);
        java.util.List<String> parts = java.util.Arrays.stream(strings.split("\" \"")).map(s -> s.replace("\"", ""))
                .toList();
        assertThat(parts).allMatch(p -> p.getBytes(StandardCharsets.US_ASCII).length <= 255);
        assertThat(String.join("", parts)).isEqualTo(text);
    }
}
