package org.postwerk.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postwerk.auth.spf.SpfRecord.Directive;
import org.postwerk.auth.spf.SpfRecord.Qualifier;

class SpfRecordTest {
    private static SpfRecord valid(String text) {
        return ((SpfRecord.Parse.Valid) SpfRecord.parse(text)).record();
    }

    @Test
    void parsesTermsInOrder() {
        SpfRecord r = valid("v=spf1 +a mx/24//64 -ip4:192.0.2.0/24 ~ip6:2001:db8::/32 ?exists:%{i}.x.example"
                + " include:_spf.example.net ptr -all redirect=other.example exp=why.example unknown=%{d}");
        assertThat(r.directives()).extracting(Directive::qualifier).containsExactly(Qualifier.PASS, Qualifier.PASS,
                Qualifier.FAIL, Qualifier.SOFTFAIL, Qualifier.NEUTRAL, Qualifier.PASS, Qualifier.PASS, Qualifier.FAIL);
        assertThat(r.directives().get(0).mechanism()).isEqualTo(new Mechanism.A(Optional.empty(), 32, 128));
        assertThat(r.directives().get(1).mechanism()).isEqualTo(new Mechanism.Mx(Optional.empty(), 24, 64));
        assertThat(r.directives().get(2).mechanism())
                .isEqualTo(new Mechanism.Ip(new Network(new byte[] {(byte) 192, 0, 2, 0}, 24)));
        assertThat(r.directives().get(7).mechanism()).isEqualTo(new Mechanism.All());
        assertThat(r.redirect()).map(MacroString::parts)
                .contains(List.of(new MacroString.Literal("other.example")));
        assertThat(r.exp()).isPresent();
    }

    @Test
    void versionIsCaseInsensitiveAndSpacesMayRepeat() {
        assertThat(valid("V=SpF1   -ALL ").directives()).hasSize(1);
        assertThat(SpfRecord.isSpf("v=spf10")).isFalse();
        assertThat(SpfRecord.isSpf("v=spf1")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "v=spf1 all.", "v=spf1 all:x", "v=spf1 a:", "v=spf1 include", "v=spf1 ip4:1.2.3", "v=spf1 ip4:1.2.3.4/33",
        "v=spf1 ip4:1.2.3.4/032", "v=spf1 ip4:01.2.3.4", "v=spf1 ip6:::1/129", "v=spf1 ip6::CAFE::BABE",
        "v=spf1 ptr/24", "v=spf1 a:foo.123", "v=spf1 a:museum", "v=spf1 foo", "v=spf1 =x", "v=spf1 redirect=a.b.c"
                + " redirect=d.e.f", "v=spf1 a:b\u00e4d.example", "v=spf1 a\tmx", "v=spf1 exists:%{x}.example.com",
        "v=spf1 -all ip6", "not spf"
    })
    void rejectsSyntaxErrorsAnywhere(String text) {
        assertThat(SpfRecord.parse(text)).isInstanceOf(SpfRecord.Parse.Invalid.class);
    }
}
