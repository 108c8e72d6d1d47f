package org.postwerk.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StsPolicyTest {
    static StsPolicy valid(String text) {
        return ((StsPolicy.Parsed.Valid) StsPolicy.parse(text)).policy();
    }

    @Test
    void rfcExample() {
        // RFC 8461 §3.2's example, with CRLF as a web server would send it.
        StsPolicy p = valid("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertThat(p).isEqualTo(new StsPolicy(StsPolicy.Mode.ENFORCE,
                List.of("mail.example.com", "*.example.net", "backupmx.example.com"), Duration.ofDays(7)));
    }

    @Test
    void lfOnlyNoFinalNewlineSpacesUnknownFieldsAndNone() {
        StsPolicy p = valid("version:STSv1\nmode:\ttesting \nmx: MX.Example.COM.\nfuture_key: some value\nmax_age: 0");
        assertThat(p.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(p.mx()).containsExactly("mx.example.com");
        assertThat(p.maxAge()).isZero();
        assertThat(valid("version: STSv1\nmode: none\nmax_age: 31557600\n").mx()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "mode: enforce\nmx: a.example\nmax_age: 1\n",
            "version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n",
            "version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmx: a.example\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: -1\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nmax_age: 2\n",
            "version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmx: a*.example\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmx: -a.example\nmax_age: 1\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n\n",
            "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\ngarbage\n",
            " version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n"})
    void invalidPolicies(String text) {
        assertThat(StsPolicy.parse(text)).isInstanceOf(StsPolicy.Parsed.Invalid.class);
    }

    @Test
    void wildcardMatchesExactlyOneLeftmostLabel() {
        // RFC 8461 §4.1: "*.example.com" matches "mail.example.com" but not "example.com" or "foo.bar.example.com".
        StsPolicy p = new StsPolicy(StsPolicy.Mode.ENFORCE, List.of("*.example.com", "mx.example.org"), Duration.ZERO);
        assertThat(p.matches("mail.example.com")).isTrue();
        assertThat(p.matches("MAIL.Example.Com.")).isTrue();
        assertThat(p.matches("example.com")).isFalse();
        assertThat(p.matches("foo.bar.example.com")).isFalse();
        assertThat(p.matches("mx.example.org")).isTrue();
        assertThat(p.matches("mx2.example.org")).isFalse();
        assertThat(p.matches("xexample.com")).isFalse();
    }

    @Test
    void textParsesBackToTheSamePolicy() {
        StsPolicy p = new StsPolicy(StsPolicy.Mode.TESTING, List.of("mx.example.test", "*.example.net"),
                Duration.ofDays(7));
        assertThat(valid(p.text())).isEqualTo(p);
    }
}
