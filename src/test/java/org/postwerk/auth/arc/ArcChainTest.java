package org.postwerk.auth.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.postwerk.auth.dkim.Algorithm;

/** The form of a chain (RFC 8617 §4.2.1, §5.2 steps 2 and 3), DNS failures, and what a sealer does with them. */
class ArcChainTest {
    private final Hops hops = new Hops();
    private final String once = hops.hop(Hops.MESSAGE, Hops.list());
    private final String twice = hops.hop(once, Hops.relay());

    /** The whole field (with its folded lines) of a name and instance. */
    private static String field(String message, String name, int instance) {
        Matcher m = Pattern.compile("(?m)^" + name + ": i=" + instance + ";.*\r\n([ \t].*\r\n)*").matcher(message);
        assertThat(m.find()).as(name + " i=" + instance).isTrue();
        return m.group();
    }

    private ArcResult validate(String message) {
        return hops.validate(message);
    }

    @Test
    void aMissingSetFails() {
        String withoutFirst = twice.replace(field(twice, "ARC-Seal", 1), "")
                .replace(field(twice, "ARC-Message-Signature", 1), "")
                .replace(field(twice, "ARC-Authentication-Results", 1), "");

        assertThat(validate(withoutFirst)).isEqualTo(ArcResult.fail(2, "incomplete or missing ARC set i=1"));
    }

    @Test
    void aMissingFieldFails() {
        assertThat(validate(twice.replace(field(twice, "ARC-Authentication-Results", 2), "")).reason())
                .isEqualTo("incomplete or missing ARC set i=2");
        assertThat(validate(once.replace(field(once, "ARC-Message-Signature", 1), "")).reason())
                .isEqualTo("incomplete or missing ARC set i=1");
    }

    @Test
    void aDuplicateFieldFails() {
        String aar = field(twice, "ARC-Authentication-Results", 1);

        assertThat(validate(aar + twice)).isEqualTo(ArcResult.fail(2, "two ARC-Authentication-Results with i=1"));
    }

    @Test
    void instancesBeyondFiftyOrBelowOneFail() {
        assertThat(validate("ARC-Authentication-Results: i=51; x; none\r\n" + once).reason())
                .isEqualTo("bad instance in ARC-Authentication-Results");
        assertThat(validate("ARC-Seal: i=0; a=rsa-sha256; cv=none; d=x; s=y; b=AAAA\r\n" + once).reason())
                .isEqualTo("bad instance in ARC-Seal");
        String unnumbered = "ARC-Authentication-Results: i=x; x; none\r\n" + once;
        assertThat(hops.hop(unnumbered, Hops.relay())).as("no instance to seal as").isEqualTo(unnumbered);
    }

    @Test
    void cvMustBeNoneFirstAndPassAfter() {
        String sealOne = field(once, "ARC-Seal", 1);

        assertThat(validate(once.replace(sealOne, sealOne.replace("cv=none", "cv=pass"))).reason())
                .isEqualTo("AS i=1 has cv=pass");
        String sealTwo = field(twice, "ARC-Seal", 2);
        assertThat(validate(twice.replace(sealTwo, sealTwo.replace("cv=pass", "cv=none"))).reason())
                .isEqualTo("AS i=2 has cv=none");
    }

    @Test
    void aSealWithHeaderListOrRsaSha1IsBroken() {
        String seal = field(once, "ARC-Seal", 1);

        assertThat(validate(once.replace(seal, seal.replace("cv=none;", "cv=none; h=from;"))).reason())
                .isEqualTo("AS i=1: ARC-Seal has h=");
        assertThat(validate(once.replace(seal, seal.replace("a=rsa-sha256", "a=rsa-sha1"))).reason())
                .isEqualTo("AS i=1: ARC-Seal has a bad i=, a=, cv= or b=");
    }

    @Test
    void anAmsWithVersionIsBroken() {
        String ams = field(once, "ARC-Message-Signature", 1);

        assertThat(validate(once.replace(ams, ams.replace("i=1;", "i=1; v=1;"))).reason())
                .isEqualTo("AMS i=1: ARC-Message-Signature has v=");
    }

    @Test
    void aTamperedOlderSealFailsTheChain() {
        String aar = field(twice, "ARC-Authentication-Results", 1);

        assertThat(validate(twice.replace(aar, aar.replace("spf=pass", "spf=none"))).reason())
                .isEqualTo("AS i=2: seal did not verify"); // the newest seal covers every older set
    }

    @Test
    void missingKeyAndDnsFailureFail() {
        hops.zone.serverFailure("rsa._domainkey.relay.example.com");
        assertThat(validate(twice).reason()).startsWith("AMS i=2: temperror key lookup failed");

        Hops other = new Hops();
        String sealed = other.hop(Hops.MESSAGE, Hops.key("unpublished.example", Algorithm.KeyType.RSA));
        assertThat(other.validate(sealed).reason()).isEqualTo(
                "AMS i=1: permerror no key for rsa._domainkey.unpublished.example");
    }

    @Test
    void aBrokenChainIsSealedWithCvFailCoveringOnlyTheNewSet() {
        String broken = twice.replace(field(twice, "ARC-Authentication-Results", 2), "");
        ArcResult incoming = validate(broken);
        String sealed = hops.seal(broken, Hops.list(), "arc=fail", incoming);

        assertThat(sealed).startsWith("ARC-Seal: i=3;").contains("cv=fail;");
        assertThat(validate(sealed).reason()).isEqualTo("ARC-Seal i=3 says cv=fail");
    }

    @Test
    void aPassingChainIsNotSealedAsPassWhenTheCallerSawSomethingElse() {
        String sealed = hops.seal(once, Hops.relay(), "arc=fail", ArcResult.fail(1, "dns"));

        assertThat(field(sealed, "ARC-Seal", 2)).contains("cv=fail;");
    }

    @Test
    void noFiftyFirstInstance() {
        String chain = Hops.MESSAGE;
        for (int i = 0; i < ArcSet.MAX_INSTANCES; i++) { // seal only: validating at every hop is quadratic
            chain = hops.seal(chain, Hops.relay(), "", i == 0 ? ArcResult.NONE : ArcResult.pass(i, 0));
        }

        assertThat(validate(chain)).isEqualTo(ArcResult.pass(50, 0));
        assertThat(hops.hop(chain, Hops.relay())).isEqualTo(chain);
    }
}
