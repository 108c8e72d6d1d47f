package org.postwerk.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** Seal with Postwerk, then validate: one hop, two hops, tampering, and what the seal's cv= says. */
class ArcRoundTripTest {
    private static final KeyPair RSA = DkimKeys.generate(Algorithm.KeyType.RSA);
    private static final KeyPair ED = DkimKeys.generate(Algorithm.KeyType.ED25519);

    static final String MESSAGE = """
            From: Alice <alice@example.org>
            To: list@lists.example.net
            Subject: Lunch
            Date: Sun, 29 Nov 2026 03:00:00 +0000
            Message-ID: <1@example.org>

            Shall we?
            """.replace("\n", "\r\n");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T04:00:00Z"));
    private final ZoneResolver zone = new ZoneResolver()
            .add(DkimKeys.zoneLine("lists.example.net", "rsa", RSA.getPublic()))
            .add(DkimKeys.zoneLine("lists.example.net", "ed", ED.getPublic()))
            .add(DkimKeys.zoneLine("relay.example.com", "rsa", RSA.getPublic()));
    private final ArcVerifier verifier = new ArcVerifier(zone, clock);

    private static DkimSigner.Key key(String domain, Algorithm.KeyType type) {
        return type == Algorithm.KeyType.RSA
                ? new DkimSigner.Key(domain, "rsa", Algorithm.RSA_SHA256, RSA.getPrivate())
                : new DkimSigner.Key(domain, "ed", Algorithm.ED25519_SHA256, ED.getPrivate());
    }

    ArcResult validate(String message, int chunk) {
        byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
        ArcVerifier.Check check = verifier.begin();
        for (int i = 0; i < bytes.length; i += chunk) {
            check.update(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return check.finish();
    }

    ArcResult validate(String message) {
        return validate(message, Math.max(1, message.length()));
    }

    /** Validates, then seals as {@code domain} would and returns the forwarded message. */
    String hop(String message, DkimSigner.Key key) {
        ArcSealer sealer = new ArcSealer(List.of(key), clock);
        String fields = sealer.seal(message.getBytes(StandardCharsets.ISO_8859_1), key.domain(),
                "spf=pass smtp.mailfrom=example.org", validate(message));
        return fields + message;
    }

    @Test
    void messageWithoutArcIsNone() {
        assertThat(validate(MESSAGE)).isEqualTo(ArcResult.NONE);
        assertThat(ArcResult.NONE.authenticationResults()).isEqualTo("arc=none");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.KeyType.class)
    void oneHopPassesByteByByteAndWhole(Algorithm.KeyType type) {
        String sealed = hop(MESSAGE, key("lists.example.net", type));

        assertThat(sealed).startsWith("ARC-Seal: i=1; a=" + (type == Algorithm.KeyType.RSA ? "rsa" : "ed25519"))
                .contains("cv=none;").contains("ARC-Authentication-Results: i=1; lists.example.net; spf=pass");
        assertThat(sealed.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(validate(sealed, 1)).isEqualTo(ArcResult.pass(1, 0));
        assertThat(validate(sealed).authenticationResults()).isEqualTo("arc=pass (i=1) header.oldest-pass=0");
        assertThat(validate(sealed).authenticationResults("192.0.2.1")).endsWith(" smtp.remote-ip=192.0.2.1");
    }

    @Test
    void twoHopsPassAndTheSecondSealSaysPass() {
        String twice = hop(hop(MESSAGE, key("lists.example.net", Algorithm.KeyType.RSA)),
                key("relay.example.com", Algorithm.KeyType.RSA));

        assertThat(twice).startsWith("ARC-Seal: i=2;").contains("cv=pass;");
        assertThat(validate(twice)).isEqualTo(ArcResult.pass(2, 0));
    }

    @Test
    void bodyChangedBetweenHopsGivesOldestPass() {
        String once = hop(MESSAGE, key("lists.example.net", Algorithm.KeyType.RSA));
        String footer = once.replace("Shall we?\r\n", "Shall we?\r\n-- \r\nlist footer\r\n");
        String twice = hop(footer, key("relay.example.com", Algorithm.KeyType.RSA));

        assertThat(validate(footer).reason()).startsWith("AMS i=1: fail body hash mismatch");
        // hop 2 saw a failing chain, sealed cv=fail: the chain is over for everyone after it (RFC 8617 §5.2 step 2)
        assertThat(twice).contains("cv=fail;");
        assertThat(validate(twice).status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(validate(twice).reason()).isEqualTo("ARC-Seal i=2 says cv=fail");
        assertThat(new ArcSealer(List.of(key("relay.example.com", Algorithm.KeyType.RSA)), clock)
                .seal(twice.getBytes(StandardCharsets.ISO_8859_1), "x", "", validate(twice))).isEmpty();
    }

    @Test
    void changeAfterSealingFails() {
        String sealed = hop(MESSAGE, key("lists.example.net", Algorithm.KeyType.RSA));

        assertThat(validate(sealed.replace("Shall we?", "Shall we not?")).reason())
                .isEqualTo("AMS i=1: fail body hash mismatch");
        assertThat(validate(sealed.replace("Subject: Lunch", "Subject: Dinner")).reason())
                .isEqualTo("AMS i=1: fail signature did not verify");
        assertThat(validate(sealed.replace("spf=pass", "spf=fail")).reason())
                .isEqualTo("AS i=1: seal did not verify");
        assertThat(validate(sealed.replace("ARC-Seal: i=1; a=rsa-sha256; t=", "ARC-Seal: i=1; a=rsa-sha256;  t="))
                .passed()).as("relaxed canonicalisation ignores white space").isTrue();
    }

    @Test
    void oldestPassNamesTheFirstInstanceWhoseAmsStillValidates() {
        String once = hop(MESSAGE, key("lists.example.net", Algorithm.KeyType.RSA));
        ArcResult incoming = validate(once);
        // A list validates, then adds its footer, then seals (RFC 8617 §1: the reason ARC exists).
        String footer = once.replace("Shall we?\r\n", "Shall we?\r\n-- \r\nlist footer\r\n");
        String twice = new ArcSealer(List.of(key("relay.example.com", Algorithm.KeyType.RSA)), clock)
                .seal(footer.getBytes(StandardCharsets.ISO_8859_1), "relay.example.com", "arc=pass", incoming)
                + footer;

        assertThat(twice).contains("cv=pass;");
        assertThat(validate(twice)).isEqualTo(ArcResult.pass(2, 2));
        assertThat(validate(hop(twice, key("lists.example.net", Algorithm.KeyType.ED25519)))).isEqualTo(ArcResult.pass(3, 2));
    }

    @Test
    void sealerWithTwoKeysPrefersRsa() {
        ArcSealer sealer = new ArcSealer(List.of(key("lists.example.net", Algorithm.KeyType.ED25519),
                key("lists.example.net", Algorithm.KeyType.RSA)), clock);
        String fields = sealer.seal(MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "mx", "", ArcResult.NONE);

        assertThat(fields).startsWith("ARC-Seal: i=1; a=rsa-sha256;").contains("i=1; mx; none\r\n");
    }
}
