package org.postwerk.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postwerk.auth.dkim.Algorithm;

/** Seal with Postwerk, then validate: one hop, two hops, tampering, and what the seal's cv= says. */
class ArcRoundTripTest {
    private final Hops hops = new Hops();

    @Test
    void messageWithoutArcIsNone() {
        assertThat(hops.validate(Hops.MESSAGE)).isEqualTo(ArcResult.NONE);
        assertThat(ArcResult.NONE.authenticationResults()).isEqualTo("arc=none");
    }

    @ParameterizedTest
    @EnumSource(Algorithm.KeyType.class)
    void oneHopPassesByteByByteAndWhole(Algorithm.KeyType type) {
        String sealed = hops.hop(Hops.MESSAGE, Hops.key("lists.example.net", type));

        assertThat(sealed).startsWith("ARC-Seal: i=1; a=" + (type == Algorithm.KeyType.RSA ? "rsa" : "ed25519"))
                .contains("cv=none;").contains("ARC-Authentication-Results: i=1; lists.example.net; spf=pass");
        assertThat(sealed.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(hops.validate(sealed, 1)).isEqualTo(ArcResult.pass(1, 0));
        assertThat(hops.validate(sealed).authenticationResults()).isEqualTo("arc=pass (i=1) header.oldest-pass=0");
        assertThat(hops.validate(sealed).authenticationResults("192.0.2.1")).endsWith(" smtp.remote-ip=192.0.2.1");
        assertThat(hops.validate(sealed).resinfo().with("smtp", "remote-ip", "192.0.2.1").text())
                .isEqualTo("arc=pass (i=1) header.oldest-pass=0 smtp.remote-ip=192.0.2.1");
    }

    @Test
    void twoHopsPassAndTheSecondSealSaysPass() {
        String twice = hops.hop(hops.hop(Hops.MESSAGE, Hops.list()),
                Hops.relay());

        assertThat(twice).startsWith("ARC-Seal: i=2;").contains("cv=pass;");
        assertThat(hops.validate(twice)).isEqualTo(ArcResult.pass(2, 0));
    }

    @Test
    void bodyChangedBetweenHopsGivesOldestPass() {
        String once = hops.hop(Hops.MESSAGE, Hops.list());
        String footer = once.replace("Shall we?\r\n", "Shall we?\r\n-- \r\nlist footer\r\n");
        String twice = hops.hop(footer, Hops.relay());

        assertThat(hops.validate(footer).reason()).startsWith("AMS i=1: fail body hash mismatch");
        assertThat(hops.validate(footer).resinfo().text()).isEqualTo("arc=fail (i=1: AMS i=1: fail body hash mismatch)");
        // hop 2 saw a failing chain, sealed cv=fail: the chain is over for everyone after it (RFC 8617 §5.2 step 2)
        assertThat(twice).contains("cv=fail;");
        assertThat(hops.validate(twice).status()).isEqualTo(ArcResult.Status.FAIL);
        assertThat(hops.validate(twice).reason()).isEqualTo("ARC-Seal i=2 says cv=fail");
        assertThat(new ArcSealer(List.of(Hops.relay()), hops.clock)
                .seal(twice.getBytes(StandardCharsets.ISO_8859_1), "x", "", hops.validate(twice))).isEmpty();
    }

    @Test
    void changeAfterSealingFails() {
        String sealed = hops.hop(Hops.MESSAGE, Hops.list());

        assertThat(hops.validate(sealed.replace("Shall we?", "Shall we not?")).reason())
                .isEqualTo("AMS i=1: fail body hash mismatch");
        assertThat(hops.validate(sealed.replace("Subject: Lunch", "Subject: Dinner")).reason())
                .isEqualTo("AMS i=1: fail signature did not verify");
        assertThat(hops.validate(sealed.replace("spf=pass", "spf=fail")).reason())
                .isEqualTo("AS i=1: seal did not verify");
        assertThat(hops.validate(sealed.replace("ARC-Seal: i=1; a=rsa-sha256; t=", "ARC-Seal: i=1; a=rsa-sha256;  t="))
                .passed()).as("relaxed canonicalisation ignores white space").isTrue();
    }

    @Test
    void oldestPassNamesTheFirstInstanceWhoseAmsStillValidates() {
        String once = hops.hop(Hops.MESSAGE, Hops.list());
        ArcResult incoming = hops.validate(once);
        // A list validates, then adds its footer, then seals (RFC 8617 §1: the reason ARC exists).
        String footer = once.replace("Shall we?\r\n", "Shall we?\r\n-- \r\nlist footer\r\n");
        String twice = hops.seal(footer, Hops.relay(), "arc=pass", incoming);

        assertThat(twice).contains("cv=pass;");
        assertThat(hops.validate(twice)).isEqualTo(ArcResult.pass(2, 2));
        String thrice = hops.hop(twice, Hops.key("lists.example.net", Algorithm.KeyType.ED25519));
        assertThat(hops.validate(thrice)).isEqualTo(ArcResult.pass(3, 2));
    }

    @Test
    void sealerWithTwoKeysPrefersRsa() {
        ArcSealer sealer = new ArcSealer(List.of(Hops.key("lists.example.net", Algorithm.KeyType.ED25519),
                Hops.list()), hops.clock);
        String fields = sealer.seal(Hops.MESSAGE.getBytes(StandardCharsets.ISO_8859_1), "mx", "", ArcResult.NONE);

        assertThat(fields).startsWith("ARC-Seal: i=1; a=rsa-sha256;").contains("i=1; mx; none\r\n");
    }
}
