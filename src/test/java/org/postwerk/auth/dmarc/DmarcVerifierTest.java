package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postwerk.auth.dmarc.DmarcResult.Result;
import org.postwerk.testkit.ZoneResolver;
import org.xbill.DNS.Type;

/** Discovery, alignment and policy selection over an in-memory zone. */
class DmarcVerifierTest {
    static final String ZONE = """
            $ORIGIN example.com.
            _dmarc      IN TXT "v=DMARC1; p=reject; sp=quarantine; np=reject; rua=mailto:d@example.com"
            mail        IN A 192.0.2.1
            www         IN MX 10 mail
            a.ent       IN A 192.0.2.3
            own         IN A 192.0.2.2
            _dmarc.own  IN TXT "v=DMARC1; p=none"
            flaky       IN TXT "exists, but its A lookup times out"
            _dmarc.example.org.        IN TXT "v=DMARC1; p=reject; adkim=s; aspf=s"
            _dmarc.example.co.uk.      IN TXT "v=DMARC1; p=quarantine"
            _dmarc.multi.example.      IN TXT "v=DMARC1; p=reject"
            _dmarc.multi.example.      IN TXT "v=DMARC1; p=none"
            _dmarc.mixed.example.      IN TXT "v=spf1 -all"
            _dmarc.mixed.example.      IN TXT "v=DMARC1; p=reject"
            _dmarc.broken.example.     IN TXT "v=DMARC1; p=bogus"
            _dmarc.nosp.example.       IN TXT "v=DMARC1; p=reject"
            _dmarc.pct.example.        IN TXT "v=DMARC1; p=reject; pct=30"
            _dmarc.pctq.example.       IN TXT "v=DMARC1; p=quarantine; pct=0"
            _dmarc.slowsub.example.    IN TXT "v=DMARC1; p=reject"
            """;

    private final ZoneResolver dns = new ZoneResolver(ZONE)
            .timeout("_dmarc.slow.example")
            .timeout("_dmarc.slowsub.example")
            .timeout("flaky.example.com", Type.A);
    private final DmarcVerifier verifier = new DmarcVerifier(dns, OrganizationalDomains.bundled());

    private static SpfOutcome spf(String domain, SpfOutcome.Result result) {
        return new SpfOutcome(domain, SpfOutcome.Scope.MFROM, result);
    }

    private static DkimOutcome dkim(String d, DkimOutcome.Result result) {
        return new DkimOutcome(d, "sel", result);
    }

    private DmarcResult check(String from, SpfOutcome spf, DkimOutcome... dkim) {
        return verifier.check(new DmarcInput(from, Optional.ofNullable(spf), List.of(dkim), "message-id:<1@test>"));
    }

    /** A failing message (no SPF, no DKIM) from {@code from} with the given key. */
    private DmarcResult failing(String from, String messageKey) {
        return verifier.check(new DmarcInput(from, Optional.empty(), List.of(), messageKey));
    }

    /** The first of a series of message keys whose pct draw is below 30, or not. */
    private static String keyDrawing(boolean below30) {
        for (int i = 0; ; i++) {
            String key = "message-id:<" + i + "@sender.example>";
            if ((DmarcVerifier.draw(key) < 30) == below30) {
                return key;
            }
        }
    }

    /** The Authentication-Results text with the disposition the given enforcement applies. */
    private static String header(DmarcResult r, Enforcement enforcement) {
        return r.authenticationResults(enforcement.decide(r));
    }

    @Test
    void alignedDkimPasses() {
        DmarcResult r = check("example.com", spf("other.net", SpfOutcome.Result.PASS),
                dkim("other.net", DkimOutcome.Result.PASS), dkim("mail.example.com", DkimOutcome.Result.PASS));
        assertThat(r.result()).isEqualTo(Result.PASS);
        assertThat(r.dkimAligned()).isTrue();
        assertThat(r.spfAligned()).isFalse();
        assertThat(r.policyDomain()).contains("example.com");
        assertThat(r.requested()).contains(Policy.REJECT);
        assertThat(r.applied()).isEqualTo(Policy.NONE);
        assertThat(header(r, Enforcement.POLICY)).isEqualTo("dmarc=pass (p=reject dis=none) header.from=example.com");
    }

    @Test
    void alignedSpfPasses() {
        DmarcResult r = check("Example.COM", spf("bounces.example.com", SpfOutcome.Result.PASS));
        assertThat(r.result()).isEqualTo(Result.PASS);
        assertThat(r.spfAligned()).isTrue();
        assertThat(r.fromDomain()).isEqualTo("example.com");
    }

    @Test
    void unalignedOrNonPassingResultsFail() {
        DmarcResult r = check("example.com", spf("example.com", SpfOutcome.Result.SOFTFAIL),
                dkim("example.com", DkimOutcome.Result.FAIL), dkim("example.net", DkimOutcome.Result.PASS));
        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.applied()).isEqualTo(Policy.REJECT);
        assertThat(header(r, Enforcement.POLICY)).isEqualTo("dmarc=fail (p=reject dis=reject) header.from=example.com");
        assertThat(check("example.com", null).result()).isEqualTo(Result.FAIL);
    }

    @ParameterizedTest
    @CsvSource({
            // from,             authenticated,         aligned under the record's mode
            "example.org,        example.org,           true",
            "example.org,        EXAMPLE.org.,          true",
            "example.org,        mail.example.org,      false",
            "mail.example.org,   example.org,           false",
            "example.com,        mail.example.com,      true",
            "mail.example.com,   other.example.com,     true",
            "example.com,        example.net,           false",
            "example.co.uk,      mail.example.co.uk,    true",
            "example.co.uk,      other.co.uk,           false",
            "example.co.uk,      co.uk,                 false",
    })
    void strictForExampleOrgRelaxedElsewhere(String from, String authenticated, boolean aligned) {
        DmarcResult viaDkim = check(from, null, dkim(authenticated, DkimOutcome.Result.PASS));
        DmarcResult viaSpf = check(from, spf(authenticated, SpfOutcome.Result.PASS));
        assertThat(viaDkim.result()).isEqualTo(aligned ? Result.PASS : Result.FAIL);
        assertThat(viaSpf.result()).isEqualTo(aligned ? Result.PASS : Result.FAIL);
    }

    @ParameterizedTest
    @CsvSource({
            // From domain,          policy domain,     requested policy
            "example.com,            example.com,       REJECT",      // p
            "mail.example.com,       example.com,       QUARANTINE",  // sp: exists (A)
            "www.example.com,        example.com,       QUARANTINE",  // sp: exists (MX only)
            "ghost.example.com,      example.com,       REJECT",      // np: NXDOMAIN
            "ent.example.com,        example.com,       REJECT",      // np: empty non-terminal, no A/AAAA/MX
            "flaky.example.com,      example.com,       QUARANTINE",  // A times out: treated as existing
            "own.example.com,        own.example.com,   NONE",        // its own record: p
            "x.nosp.example,         nosp.example,      REJECT",      // no sp: p
            "a.b.example.co.uk,      example.co.uk,     QUARANTINE",
    })
    void policyForDomainSubdomainAndNonExistentSubdomain(String from, String policyDomain, Policy requested) {
        DmarcResult r = check(from, null);
        assertThat(r.result()).isEqualTo(Result.FAIL);
        assertThat(r.policyDomain()).contains(policyDomain);
        assertThat(r.requested()).contains(requested);
        assertThat(r.applied()).isEqualTo(requested);
    }

    @Test
    void noRecordAnywhereIsNoneAfterTwoQueries() {
        DmarcResult r = check("mail.nothing.example", spf("nothing.example", SpfOutcome.Result.PASS));
        assertThat(r.result()).isEqualTo(Result.NONE);
        assertThat(r.problem()).contains("no DMARC record for mail.nothing.example or nothing.example");
        assertThat(header(r, Enforcement.POLICY)).isEqualTo("dmarc=none header.from=mail.nothing.example");
        assertThat(dns.queries()).isEqualTo(2);
    }

    @Test
    void organisationalDomainWithoutRecordIsOneQuery() {
        assertThat(check("nothing.example", null).result()).isEqualTo(Result.NONE);
        assertThat(dns.queries()).isEqualTo(1);
    }

    @Test
    void moreThanOneDmarcRecordMeansNoDmarc() {
        DmarcResult r = check("multi.example", null);
        assertThat(r.result()).isEqualTo(Result.NONE);
        assertThat(r.problem()).contains("more than one DMARC record at _dmarc.multi.example");
        // The search stops there: the organisational domain is not asked instead.
        assertThat(check("sub.multi.example", null).result()).isEqualTo(Result.NONE);
    }

    @Test
    void otherTxtRecordsBesideTheDmarcRecordAreIgnored() {
        assertThat(check("mixed.example", null).requested()).contains(Policy.REJECT);
    }

    @Test
    void unusableRecordIsPermerror() {
        DmarcResult r = check("broken.example", null);
        assertThat(r.result()).isEqualTo(Result.PERMERROR);
        assertThat(r.problem()).contains("DMARC record at _dmarc.broken.example: invalid p=bogus");
        assertThat(r.applied()).isEqualTo(Policy.NONE);
    }

    @Test
    void dnsTimeoutIsTemperrorAtEitherLevel() {
        DmarcResult own = check("slow.example", null);
        assertThat(own.result()).isEqualTo(Result.TEMPERROR);
        assertThat(own.problem().orElseThrow()).startsWith("DNS lookup of _dmarc.slow.example failed");
        assertThat(check("mail.slowsub.example", null).result()).isEqualTo(Result.TEMPERROR);
        assertThat(header(check("mail.slowsub.example", null), Enforcement.POLICY))
                .isEqualTo("dmarc=temperror header.from=mail.slowsub.example");
    }

    @Test
    void pctSamplesFailuresOnly() {
        assertThat(failing("pct.example", keyDrawing(true)).applied()).isEqualTo(Policy.REJECT); // in the 30 %
        DmarcResult out = failing("pct.example", keyDrawing(false)); // outside: one step weaker (RFC 7489 §6.3 pct)
        assertThat(out.applied()).isEqualTo(Policy.QUARANTINE);
        assertThat(out.sampledOut()).isTrue();
        assertThat(out.requested()).contains(Policy.REJECT);
        assertThat(verifier.check(new DmarcInput("pct.example", Optional.empty(),
                List.of(dkim("pct.example", DkimOutcome.Result.PASS)), keyDrawing(false))).sampledOut()).isFalse();
        assertThat(failing("example.com", keyDrawing(false)).sampledOut()).isFalse(); // pct=100: everything
        assertThat(failing("pctq.example", keyDrawing(true)).applied()).isEqualTo(Policy.NONE); // pct=0: nothing
    }

    /**
     * The draw comes from the message, not from chance: a message retried (after our 4xx, or the sender's
     * crash) meets the same verdict every time; over many different messages pct percent are in the sample.
     */
    @Test
    void theSameMessageAlwaysMeetsTheSameVerdictAndPctHoldsOverManyMessages() {
        int inSample = 0;
        int messages = 10_000;
        for (int i = 0; i < messages; i++) {
            String key = "message-id:<" + i + ".retry@sender.example>";
            Policy first = failing("pct.example", key).applied();
            for (int retry = 0; retry < (i < 200 ? 5 : 0); retry++) {
                assertThat(failing("pct.example", key).applied()).as(key).isEqualTo(first);
            }
            inSample += first == Policy.REJECT ? 1 : 0;
        }
        // 30 % of 10,000 is 3,000; one standard deviation is 46.
        assertThat(inSample).isBetween(2_850, 3_150);
    }

    @Test
    void disSaysWhatWasDoneNotWhatWasAsked() {
        DmarcResult fail = check("example.com", null); // p=reject, no pct
        assertThat(header(fail, Enforcement.POLICY)).isEqualTo("dmarc=fail (p=reject dis=reject) header.from=example.com");
        assertThat(header(fail, Enforcement.QUARANTINE))
                .isEqualTo("dmarc=fail (p=reject dis=quarantine) header.from=example.com");
        assertThat(header(fail, Enforcement.NONE)).isEqualTo("dmarc=fail (p=reject dis=none) header.from=example.com");
        DmarcResult sampledOut = failing("pct.example", keyDrawing(false));
        assertThat(header(sampledOut, Enforcement.POLICY))
                .isEqualTo("dmarc=fail (p=reject dis=quarantine) header.from=pct.example");
    }

    @ParameterizedTest
    @CsvSource({
            // result, applied policy, enforcement, disposition
            "FAIL, REJECT,     POLICY,     REJECT",
            "FAIL, REJECT,     QUARANTINE, QUARANTINE",
            "FAIL, REJECT,     NONE,       ACCEPT",
            "FAIL, QUARANTINE, POLICY,     QUARANTINE",
            "FAIL, QUARANTINE, QUARANTINE, QUARANTINE",
            "FAIL, QUARANTINE, NONE,       ACCEPT",
            "FAIL, NONE,       POLICY,     ACCEPT",
            "PASS, NONE,       POLICY,     ACCEPT",
            "NONE, NONE,       POLICY,     ACCEPT",
            "TEMPERROR, NONE,  POLICY,     ACCEPT",
            "PERMERROR, NONE,  POLICY,     ACCEPT",
    })
    void enforcementDowngradesButNeverStrengthens(Result result, Policy applied, Enforcement enforcement,
                                                 Disposition expected) {
        DmarcResult r = new DmarcResult(result, "example.com", Optional.of("example.com"), Optional.empty(),
                Optional.of(applied), applied, false, false, false, Optional.empty());
        assertThat(enforcement.decide(r)).isEqualTo(expected);
    }

    @Test
    void enforcementNamesMatchTheConfigSetting() {
        for (var action : org.postwerk.config.AuthConfig.DmarcAction.values()) {
            if (action != org.postwerk.config.AuthConfig.DmarcAction.OFF) { // OFF: DMARC is not evaluated at all
                assertThat(Enforcement.valueOf(action.name()).name()).isEqualTo(action.name());
            }
        }
    }

    @Test
    void unusableFromIsPermerrorWithoutHeaderFrom() {
        DmarcResult r = DmarcResult.unusableFrom("several From fields");
        assertThat(r.result()).isEqualTo(Result.PERMERROR);
        assertThat(header(r, Enforcement.POLICY)).isEqualTo("dmarc=permerror");
        assertThat(Enforcement.POLICY.decide(r)).isEqualTo(Disposition.ACCEPT);
        assertThat(check(" ", null).result()).isEqualTo(Result.PERMERROR);
        assertThat(dns.queries()).isZero();
    }
}
