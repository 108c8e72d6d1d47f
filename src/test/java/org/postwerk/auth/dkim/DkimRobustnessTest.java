package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.postwerk.auth.dkim.DkimResult.Result;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** Hostile and odd input: never an exception, always one result per signature field. */
class DkimRobustnessTest {
    private final ZoneResolver zone = new ZoneResolver(Messages.resource("rfc8463.zone"));
    private final DkimVerifier verifier = new DkimVerifier(zone, new ManualClock(Instant.parse("2018-06-10T13:38:29Z")));

    @Test
    void randomlyDamagedMessagesNeverThrow() {
        byte[] original = Messages.bytes(Messages.resource("rfc8463.eml"));
        Random random = new Random(8463);
        int passes = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] damaged = original.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            }
            List<DkimResult> results = Messages.verify(verifier, damaged, 1 + random.nextInt(50));
            assertThat(results).hasSizeLessThanOrEqualTo(2);
            passes += (int) results.stream().filter(DkimResult::passed).count();
        }
        assertThat(passes).isLessThan(2 * 2000); // most damage must be noticed
    }

    @Test
    void randomTagListsNeverThrow() {
        Random random = new Random(6376);
        String alphabet = "vabhdilqstxzpk=;: \t\r\n/@.-1AZ+";
        for (int round = 0; round < 5000; round++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(DkimSignature.parse(s.toString())).isNotNull();
            assertThat(DkimKeyRecord.parse(s.toString())).isNotNull();
        }
    }

    @Test
    void messageWithoutBodyOrWithoutHeader() {
        assertThat(Messages.verify(verifier, new byte[0])).isEmpty();
        assertThat(Messages.verify(verifier, "\r\nbody only\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        String headerOnly = Messages.crlf(Messages.resource("rfc8463.eml"));
        headerOnly = headerOnly.substring(0, headerOnly.indexOf("\r\n\r\n"));
        assertThat(Messages.verify(verifier, headerOnly.getBytes(StandardCharsets.US_ASCII)))
                .extracting(DkimResult::reason).containsOnly("body hash mismatch");
    }

    @Test
    void signatureRemovalKeepsEverythingButTheValueOfB() {
        assertThat(SignedHeaders.withoutSignature("DKIM-Signature: a=1; b=abc\r\n def; bh=xyz\r\n"))
                .isEqualTo("DKIM-Signature: a=1; b=; bh=xyz\r\n");
        assertThat(SignedHeaders.withoutSignature("DKIM-Signature: bh=xyz;\r\n b = abc\r\n def\r\n"))
                .isEqualTo("DKIM-Signature: bh=xyz;\r\n b =\r\n");
        assertThat(SignedHeaders.withoutSignature("DKIM-Signature: bh=xyz")).isEqualTo("DKIM-Signature: bh=xyz");
    }

    @Test
    void streamAdapterFeedsTheCheck() throws IOException {
        DkimVerifier.Check check = verifier.begin();
        try (OutputStream out = check.asOutputStream()) {
            byte[] message = Messages.bytes(Messages.resource("rfc8463.eml"));
            out.write(message[0]);
            out.write(message, 1, message.length - 1);
        }
        assertThat(check.finish()).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
    }
}
