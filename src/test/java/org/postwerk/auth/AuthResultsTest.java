package org.postwerk.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthResultsTest {

    @Test
    void noResultsSaysNone() {
        assertThat(AuthResults.field("mx.example.org", List.of()))
                .isEqualTo("Authentication-Results: mx.example.org; none\r\n");
    }

    @Test
    void oneResultPerLine() {
        String field = AuthResults.field("mx.example.org", List.of(
                "spf=pass smtp.mailfrom=example.com",
                AuthResults.dkim("pass", "example.com", "sel1", "AbCdEfGhIjKlMn").text(),
                AuthResults.Resinfo.of("dmarc", "pass").withComment("p=reject dis=none")
                        .with("header", "from", "example.com").text()));
        assertThat(field).isEqualTo("""
                Authentication-Results: mx.example.org;\r
                \tspf=pass smtp.mailfrom=example.com;\r
                \tdkim=pass header.d=example.com header.s=sel1 header.b=AbCdEfGh;\r
                \tdmarc=pass (p=reject dis=none) header.from=example.com\r
                """);
    }

    @Test
    void longResultsAreFoldedBetweenWordsWithin78Columns() {
        String arc = AuthResults.Resinfo.of("arc", "pass")
                .withComment("chain of three sets validated, oldest from a forwarder at lists.example.net")
                .with("smtp", "remote-ip", "2001:db8::1234:5678:9abc:def0").text();
        String field = AuthResults.field("mx.example.org", List.of(arc, "spf=none smtp.mailfrom=example.com"));
        for (String line : field.split("\r\n")) {
            assertThat(line.replace("\t", "        ").length()).isLessThanOrEqualTo(78);
        }
        assertThat(field).contains("\r\n\t    ");
        // Unfolding gives the result back (RFC 5322 §2.2.3), quoted IPv6 value included.
        assertThat(field.replace("\r\n\t    ", " ")).contains(
                "arc=pass (chain of three sets validated, oldest from a forwarder at lists.example.net)"
                        + " smtp.remote-ip=\"2001:db8::1234:5678:9abc:def0\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "example.com               | example.com",
            "alice@example.com         | alice@example.com",
            "@example.com              | @example.com",
            "a b                       | \"a b\"",
            "a;b                       | \"a;b\"",
            "say \"hi\"                | \"say \\\"hi\\\"\"",
            "x@y@z                     | \"x@y@z\"",
    })
    void propertyValuesAreTokensAddressesOrQuoted(String value, String written) {
        assertThat(AuthResults.pvalue(value)).isEqualTo(written);
    }

    @Test
    void commentsAreEscaped() {
        assertThat(AuthResults.Resinfo.of("spf", "fail").withComment("a (b) \\ c").text())
                .isEqualTo("spf=fail (a \\(b\\) \\\\ c)");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Authentication-Results: mx.example.org; spf=pass smtp.mailfrom=example.com",
            "authentication-results:MX.Example.ORG;dkim=pass",
            "Authentication-Results : mx.example.org 1; none",
            "Authentication-Results: (forged) mx.example.org; spf=pass",
            "Authentication-Results: (nested (comment)) \"mx.example.org\"; spf=pass",
            "Authentication-Results:\r\n\t(folded\r\n comment)\r\n mx.example.org;\r\n\tspf=pass",
            "Authentication-Results: mx.example.org",
    })
    void recognisesFieldsClaimingOurId(String field) {
        assertThat(AuthResults.isOurs(field, "mx.example.org")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Authentication-Results: mx.example.org.evil; spf=pass",
            "Authentication-Results: evil.example; spf=pass (mx.example.org)",
            "Authentication-Results: other.example; spf=pass smtp.mailfrom=mx.example.org",
            "ARC-Authentication-Results: i=1; mx.example.org; spf=pass",
            "X-Authentication-Results: mx.example.org; spf=pass",
            "Received: from mx.example.org",
            "Authentication-Results: (unterminated mx.example.org; spf=pass",
            "Authentication-Results: ",
            "Authentication-Results mx.example.org",
    })
    void leavesOtherFieldsAlone(String field) {
        assertThat(AuthResults.isOurs(field, "mx.example.org")).isFalse();
    }

    @Test
    void claimsAuthservIdLooksAtTheValueOnly() {
        assertThat(AuthResults.claimsAuthservId(" (c) Mx.Example.Org ; spf=pass", "mx.example.org")).isTrue();
        assertThat(AuthResults.claimsAuthservId(" mx.example.orgx; spf=pass", "mx.example.org")).isFalse();
    }
}
