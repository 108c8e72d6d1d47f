package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DmarcRecordTest {

    private static DmarcRecord valid(String text) {
        DmarcRecord.Parsed parsed = DmarcRecord.parse(text);
        assertThat(parsed).isInstanceOf(DmarcRecord.Valid.class);
        return ((DmarcRecord.Valid) parsed).record();
    }

    private static List<String> warnings(String text) {
        return ((DmarcRecord.Valid) DmarcRecord.parse(text)).warnings();
    }

    @Test
    void minimalRecordGetsTheRfcDefaults() {
        DmarcRecord r = valid("v=DMARC1; p=none");
        assertThat(r).isEqualTo(new DmarcRecord(Policy.NONE, Optional.empty(), Optional.empty(), Alignment.RELAXED,
                Alignment.RELAXED, 100, List.of(), List.of(), Set.of("0"), List.of("afrf"), 86400));
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.NONE);
        assertThat(r.nonExistentPolicy()).isEqualTo(Policy.NONE);
        assertThat(warnings("v=DMARC1; p=none")).isEmpty();
    }

    @Test
    void everyTagIsRead() {
        DmarcRecord r = valid("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=s; pct=25;"
                + " rua=mailto:agg@example.com!10m, mailto:other@example.net; ruf=mailto:f@example.com!512;"
                + " fo=1:d:s; rf=afrf; ri=3600; psd=n; unknown=whatever;");
        assertThat(r.p()).isEqualTo(Policy.REJECT);
        assertThat(r.sp()).contains(Policy.QUARANTINE);
        assertThat(r.np()).contains(Policy.REJECT);
        assertThat(r.adkim()).isEqualTo(Alignment.STRICT);
        assertThat(r.aspf()).isEqualTo(Alignment.STRICT);
        assertThat(r.pct()).isEqualTo(25);
        assertThat(r.rua()).containsExactly(
                new ReportUri(URI.create("mailto:agg@example.com"), OptionalLong.of(10L << 20)),
                new ReportUri(URI.create("mailto:other@example.net"), OptionalLong.empty()));
        assertThat(r.ruf()).containsExactly(new ReportUri(URI.create("mailto:f@example.com"), OptionalLong.of(512)));
        assertThat(r.fo()).containsExactlyInAnyOrder("1", "d", "s");
        assertThat(r.rf()).containsExactly("afrf");
        assertThat(r.ri()).isEqualTo(3600);
    }

    @Test
    void whitespaceAndCaseOfNamesAndValuesDoNotMatter() {
        DmarcRecord r = valid("  v = DMARC1 ;P = Reject ; SP=NONE;ADKIM=S ");
        assertThat(r.p()).isEqualTo(Policy.REJECT);
        assertThat(r.sp()).contains(Policy.NONE);
        assertThat(r.adkim()).isEqualTo(Alignment.STRICT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v=spf1 -all", "p=reject; v=DMARC1", "v=dmarc1; p=reject", "v=DMARC2; p=reject",
            "v=DMARC1p=reject", "x; v=DMARC1; p=reject", "some text"})
    void notADmarcRecordWithoutLeadingVersion(String text) {
        assertThat(DmarcRecord.parse(text)).isInstanceOf(DmarcRecord.NotDmarc.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=DMARC1", "v=DMARC1;", "v=DMARC1; p=bogus", "v=DMARC1; sp=reject",
            "v=DMARC1; p=; rua=", "v=DMARC1; p=deny; rua=not a uri"})
    void invalidWithoutUsablePolicyOrRua(String text) {
        assertThat(DmarcRecord.parse(text)).isInstanceOf(DmarcRecord.Invalid.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v=DMARC1; rua=mailto:a@example.com", "v=DMARC1; p=bogus; rua=mailto:a@example.com"})
    void missingOrBadPolicyWithRuaActsAsNone(String text) {
        // RFC 7489 §6.6.3 step 6.
        assertThat(valid(text).p()).isEqualTo(Policy.NONE);
        assertThat(warnings(text)).hasSize(1);
    }

    @Test
    void invalidSubdomainPolicyFallsBackToP() {
        DmarcRecord r = valid("v=DMARC1; p=reject; sp=maybe");
        assertThat(r.sp()).isEmpty();
        assertThat(r.subdomainPolicy()).isEqualTo(Policy.REJECT);
        assertThat(warnings("v=DMARC1; p=reject; sp=maybe")).containsExactly("invalid sp=maybe ignored");
    }

    @Test
    void nonExistentPolicyFallsBackToSpThenP() {
        assertThat(valid("v=DMARC1; p=reject; sp=none").nonExistentPolicy()).isEqualTo(Policy.NONE);
        assertThat(valid("v=DMARC1; p=quarantine").nonExistentPolicy()).isEqualTo(Policy.QUARANTINE);
        assertThat(valid("v=DMARC1; p=none; np=reject").nonExistentPolicy()).isEqualTo(Policy.REJECT);
        assertThat(valid("v=DMARC1; p=none; np=x").np()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "adkim=x   | invalid adkim=x, relaxed used",
            "aspf=     | invalid aspf=, relaxed used",
            "pct=101   | invalid pct=101, 100 used",
            "pct=-1    | invalid pct=-1, 100 used",
            "pct=50.5  | invalid pct=50.5, 100 used",
            "fo=2      | invalid fo=2, 0 used",
            "rf=a f    | invalid rf=a f, afrf used",
            "ri=4294967296 | invalid ri=4294967296, 86400 used",
            "ri=-5     | invalid ri=-5, 86400 used",
            "rua=mailto:a@example.com, relative/path | invalid rua URI ignored: relative/path"})
    void invalidOptionalValuesFallBackToDefaultsWithAWarning(String tag, String warning) {
        String text = "v=DMARC1; p=reject; " + tag;
        DmarcRecord r = valid(text);
        assertThat(warnings(text)).containsExactly(warning);
        assertThat(r.adkim()).isEqualTo(Alignment.RELAXED);
        assertThat(r.aspf()).isEqualTo(Alignment.RELAXED);
        assertThat(r.pct()).isEqualTo(100);
        assertThat(r.fo()).containsExactly("0");
        assertThat(r.ri()).isEqualTo(86400);
    }

    @Test
    void pctBoundsAreAccepted() {
        assertThat(valid("v=DMARC1; p=reject; pct=0").pct()).isZero();
        assertThat(valid("v=DMARC1; p=reject; pct=100").pct()).isEqualTo(100);
        assertThat(valid("v=DMARC1; p=reject; pct=007").pct()).isEqualTo(7);
    }

    @Test
    void colonListsAllowWhitespaceAroundColons() {
        DmarcRecord r = valid("v=DMARC1; p=none; fo=0 : d;rf=afrf :iodef");
        assertThat(r.fo()).containsExactlyInAnyOrder("0", "d");
        assertThat(r.rf()).containsExactly("afrf", "iodef");
    }

    @Test
    void firstOfDuplicateTagsCounts() {
        assertThat(valid("v=DMARC1; p=none; p=reject").p()).isEqualTo(Policy.NONE);
    }

    @ParameterizedTest
    @CsvSource({"mailto:a@example.com!1k, 1024", "mailto:a@example.com!2g, 2147483648",
            "mailto:a@example.com!3t, 3298534883328", "mailto:a@example.com!7, 7"})
    void reportUriSizeSuffixes(String text, long bytes) {
        assertThat(ReportUri.parse(text)).get().extracting(u -> u.maxBytes().getAsLong()).isEqualTo(bytes);
    }

    @Test
    void policyWeakensStepByStep() {
        assertThat(Policy.REJECT.weaker()).isEqualTo(Policy.QUARANTINE);
        assertThat(Policy.QUARANTINE.weaker()).isEqualTo(Policy.NONE);
        assertThat(Policy.NONE.weaker()).isEqualTo(Policy.NONE);
    }
}
