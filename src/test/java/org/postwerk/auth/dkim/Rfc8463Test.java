package org.postwerk.auth.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postwerk.auth.dkim.DkimResult.Result;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** RFC 8463 Appendix A: the example message, signed with Ed25519 and RSA, verifies with the published keys. */
class Rfc8463Test {
    private final ZoneResolver zone = new ZoneResolver(Messages.resource("rfc8463.zone"));
    private final DkimVerifier verifier = new DkimVerifier(zone, new ManualClock(Instant.parse("2018-06-10T13:38:29Z")));
    private final byte[] message = Messages.bytes(Messages.resource("rfc8463.eml"));

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64, 100_000})
    void bothSignaturesPassInAnyChunking(int chunk) {
        List<DkimResult> results = Messages.verify(verifier, message, chunk);

        assertThat(results).extracting(DkimResult::result).containsExactly(Result.PASS, Result.PASS);
        assertThat(results).extracting(DkimResult::selector).containsExactly("brisbane", "test");
        assertThat(results.get(0).authenticationResults())
                .isEqualTo("dkim=pass header.d=football.example.com header.s=brisbane header.b=\"/gCrinpc\"");
        assertThat(results.get(1).authenticationResults())
                .isEqualTo("dkim=pass header.d=football.example.com header.s=test header.b=F45dVWDf");
        assertThat(results.get(1).identity()).isEqualTo("@football.example.com");
    }

    @org.junit.jupiter.api.Test
    void aChangedBodyFailsBoth() {
        String tampered = Messages.resource("rfc8463.eml").replace("hungry", "thirsty");

        List<DkimResult> results = Messages.verify(verifier, Messages.bytes(tampered));

        assertThat(results).extracting(DkimResult::result).containsExactly(Result.FAIL, Result.FAIL);
        assertThat(results).extracting(DkimResult::reason).containsOnly("body hash mismatch");
    }

    @org.junit.jupiter.api.Test
    void aChangedSignedHeaderFailsBoth() {
        String tampered = Messages.resource("rfc8463.eml").replace("Is dinner ready?", "Is lunch ready?");

        List<DkimResult> results = Messages.verify(verifier, Messages.bytes(tampered));

        assertThat(results).extracting(DkimResult::result).containsExactly(Result.FAIL, Result.FAIL);
        assertThat(results).extracting(DkimResult::reason).containsOnly("signature did not verify");
    }

    @org.junit.jupiter.api.Test
    void anAddedInstanceOfAnOversignedHeaderFails() {
        String tampered = Messages.resource("rfc8463.eml").replace("Subject: Is dinner ready?\n",
                "Subject: Is dinner ready?\nSubject: Free money\n");

        assertThat(Messages.verify(verifier, Messages.bytes(tampered))).extracting(DkimResult::result)
                .containsExactly(Result.FAIL, Result.FAIL);
    }

    @org.junit.jupiter.api.Test
    void anUnsignedHeaderMayBeAdded() {
        String added = Messages.resource("rfc8463.eml").replace("From: Joe", "Received: by mx\nFrom: Joe");

        assertThat(Messages.verify(verifier, Messages.bytes(added))).extracting(DkimResult::result)
                .containsExactly(Result.PASS, Result.PASS);
    }
}
