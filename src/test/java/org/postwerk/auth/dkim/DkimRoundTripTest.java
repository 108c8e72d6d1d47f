package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.postwerk.auth.dkim.DkimResult.Result;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** Sign, then verify: both algorithms, both canonicalisations, dual signing, and what breaks a signature. */
class DkimRoundTripTest {
    private static final KeyPair RSA = DkimKeys.generate(Algorithm.KeyType.RSA);
    private static final KeyPair ED = DkimKeys.generate(Algorithm.KeyType.ED25519);

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-29T03:00:00Z"));
    private final ZoneResolver zone = new ZoneResolver();
    private final DkimVerifier verifier = new DkimVerifier(zone, clock);

    DkimRoundTripTest() {
        Messages.publish(zone, "example.org", "rsa", RSA);
        Messages.publish(zone, "example.org", "ed", ED);
    }

    private static DkimSigner.Key rsaKey() {
        return new DkimSigner.Key("example.org", "rsa", Algorithm.RSA_SHA256, RSA.getPrivate());
    }

    private static DkimSigner.Key edKey() {
        return new DkimSigner.Key("example.org", "ed", Algorithm.ED25519_SHA256, ED.getPrivate());
    }

    private DkimSigner signer(Canonicalization header, Canonicalization body, DkimSigner.Key... keys) {
        return new DkimSigner(List.of(keys), clock, new DkimSigner.Options(header, body, Optional.empty()));
    }

    @ParameterizedTest
    @EnumSource(Canonicalization.class)
    void dualSignedMessagePassesTwiceByteByByteAndWhole(Canonicalization canon) {
        byte[] signed = Messages.sign(signer(canon, canon, rsaKey(), edKey()), Messages.bytes(Messages.SIMPLE));

        assertThat(Messages.verify(verifier, signed, 1)).extracting(DkimResult::result)
                .containsExactly(Result.PASS, Result.PASS);
        assertThat(Messages.verify(verifier, signed)).extracting(DkimResult::selector).containsExactly("rsa", "ed");
    }

    @Test
    void signatureFieldsAreFoldedAndOversignTheImportantHeaders() {
        DkimSigner.Signing signing = signer(Canonicalization.RELAXED, Canonicalization.RELAXED, edKey()).begin();
        byte[] message = Messages.bytes(Messages.SIMPLE);
        signing.update(message, 0, message.length);

        String field = signing.finish();

        assertThat(field).startsWith("DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org;")
                .endsWith("\r\n").contains("t=" + clock.instant().getEpochSecond() + ";");
        assertThat(field.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(Tags.compact(field)).contains("h=from:from:reply-to:to:to:cc:subject:subject:date:date:message-id:"
                + "message-id;");
    }

    @Test
    void anyChangeAfterSigningBreaksIt() {
        byte[] signed = Messages.sign(signer(Canonicalization.RELAXED, Canonicalization.RELAXED, rsaKey()),
                Messages.bytes(Messages.SIMPLE));
        String text = new String(signed, StandardCharsets.ISO_8859_1);

        assertThat(verifyText(text.replace("Shall we?", "Shall we not?"))).isEqualTo(Result.FAIL);
        assertThat(verifyText(text.replace("Subject: Lunch", "Subject: Dinner"))).isEqualTo(Result.FAIL);
        assertThat(verifyText(text.replace("Subject: Lunch\r\n", "Subject: Lunch\r\nCc: eve@example.com\r\n")))
                .isEqualTo(Result.FAIL);
        assertThat(verifyText(text.replace("\r\nFrom:", "\r\nFrom: Mallory <m@example.com>\r\nFrom:")))
                .isEqualTo(Result.FAIL);
        // relaxed tolerates re-folding and white space changes, and a trailing empty line
        assertThat(verifyText(text.replace("Subject: Lunch", "Subject:   Lunch ") + "\r\n")).isEqualTo(Result.PASS);
    }

    @Test
    void expiredSignatureFails() {
        DkimSigner signer = new DkimSigner(List.of(edKey()), clock, new DkimSigner.Options(Canonicalization.RELAXED,
                Canonicalization.RELAXED, Optional.of(Duration.ofDays(1))));
        byte[] signed = Messages.sign(signer, Messages.bytes(Messages.SIMPLE));
        assertThat(Messages.verify(verifier, signed).getFirst().result()).isEqualTo(Result.PASS);

        clock.advance(Duration.ofDays(2));

        DkimResult result = Messages.verify(verifier, signed).getFirst();
        assertThat(result.result()).isEqualTo(Result.FAIL);
        assertThat(result.reason()).isEqualTo("signature expired");
    }

    @Test
    void keyPemRoundTripsThroughTheKeyStore(@org.junit.jupiter.api.io.TempDir java.nio.file.Path data)
            throws Exception {
        DkimKeys keys = new DkimKeys(data);
        java.nio.file.Files.createDirectories(keys.path("example.org", "ed").getParent());
        java.nio.file.Files.write(keys.path("example.org", "ed"), DkimKeys.pem(ED));
        java.nio.file.Files.write(keys.path("example.org", "rsa"), DkimKeys.pem(RSA));

        List<DkimSigner.Key> loaded = keys.forDomain("Example.ORG");

        assertThat(loaded).extracting(DkimSigner.Key::selector).containsExactly("ed", "rsa");
        assertThat(loaded).extracting(DkimSigner.Key::algorithm)
                .containsExactly(Algorithm.ED25519_SHA256, Algorithm.RSA_SHA256);
        assertThat(keys.forDomain("other.example")).isEmpty();
        byte[] signed = Messages.sign(new DkimSigner(loaded, clock), Messages.bytes(Messages.SIMPLE));
        assertThat(Messages.verify(verifier, signed)).extracting(DkimResult::result)
                .containsExactly(Result.PASS, Result.PASS);
    }

    @Test
    void zoneLineSplitsLongRecords() {
        String line = DkimKeys.zoneLine("example.org", "2026a", RSA.getPublic());

        assertThat(line).startsWith("2026a._domainkey.example.org. IN TXT \"v=DKIM1; k=rsa; p=MII");
        assertThat(line.split("\" \"")).hasSize(2);
        assertThat(DkimKeys.zoneLine("example.org", "e", ED.getPublic()))
                .matches("e\\._domainkey\\.example\\.org\\. IN TXT \"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=\"");
    }

    private Result verifyText(String text) {
        return Messages.verify(verifier, text.getBytes(StandardCharsets.ISO_8859_1)).getFirst().result();
    }
}
