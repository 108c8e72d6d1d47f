package org.postwerk.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** The examples of RFC 7208 §7.4, plus the syntax errors of §7.1. */
class MacroStringTest {
    private static final ZoneResolver NO_DNS = new ZoneResolver();

    private static Macros macros(String ip) throws Exception {
        return new Macros(NO_DNS, InetAddress.getByName(ip), "strong-bad", "email.example.com", "mx.example.org",
                "receiver.example", new ManualClock(Instant.ofEpochSecond(1_700_000_000)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            %{s}                 | strong-bad@email.example.com
            %{o}                 | email.example.com
            %{d}                 | email.example.com
            %{d4}                | email.example.com
            %{d3}                | email.example.com
            %{d2}                | example.com
            %{d1}                | com
            %{dr}                | com.example.email
            %{d2r}               | example.email
            %{l}                 | strong-bad
            %{l-}                | strong.bad
            %{lr}                | strong-bad
            %{lr-}               | bad.strong
            %{l1r-}              | strong
            %{ir}.%{v}._spf.%{d2}| 3.2.0.192.in-addr._spf.example.com
            %{lr-}.lp._spf.%{d2} | bad.strong.lp._spf.example.com
            %{lr-}.lp.%{ir}.%{v}._spf.%{d2} | bad.strong.lp.3.2.0.192.in-addr._spf.example.com
            %{ir}.%{v}.%{l1r-}.lp._spf.%{d2} | 3.2.0.192.in-addr.strong.lp._spf.example.com
            %{d2}.trusted-domains.example.net | example.com.trusted-domains.example.net
            %{h}.%%.%_.%-        | mx.example.org.%. .%20
            """)
    void expandsTheRfcExamples(String spec, String expected) throws Exception {
        MacroString m = MacroString.parse(spec).orElseThrow();
        assertThat(macros("192.0.2.3").explanation(m, "email.example.com")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            %{ir}.%{v}._spf.%{d2} | 1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com
            %{c} at %{t} by %{r}  | 2001:db8::cb01 at 1700000000 by receiver.example
            %{L}                  | strong-bad
            %{S}                  | strong-bad%40email.example.com
            """)
    void expandsIpv6AndExplanationLetters(String spec, String expected) throws Exception {
        MacroString m = MacroString.parseExplanation(spec).orElseThrow();
        assertThat(macros("2001:db8::cb01").explanation(m, "email.example.com")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            %{x}
            %{d0}
            %{d2q}
            %{d
            50%
            %a
            %{c}
            has space
            """)
    void rejectsBadSyntax(String spec) {
        assertThat(MacroString.parse(spec)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void truncatesLongDomainsFromTheLeft() throws Exception {
        String label = "a".repeat(60);
        MacroString m = MacroString.parse("%{l}." + (label + ".").repeat(4) + "example.com").orElseThrow();
        String expanded = macros("192.0.2.3").domain(m, "example.com");
        assertThat(expanded).hasSizeLessThanOrEqualTo(253).endsWith(".example.com").doesNotStartWith("strong");
    }
}
