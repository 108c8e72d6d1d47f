package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaseSubjectTest {
    private static void base(String raw, String expected, boolean reply) {
        BaseSubject s = BaseSubject.of(raw);
        assertThat(s.text()).as(raw).isEqualTo(expected);
        assertThat(s.replyOrForward()).as(raw + " is a reply or forward").isEqualTo(reply);
    }

    @Test
    void rfc5256Section21() {
        base("Re: [fwd: Re: foo] (fwd)", "foo", true);
        base("RE:   re: Re[2]: Subject", "Subject", true);
        base("Fw: x", "x", true);
        base("fwd:x", "x", true);
        base("[list] Re: hello", "hello", true);
        base("[list] hello", "hello", false);
        base("[only a blob]", "[only a blob]", false);
        base("Reply: not a leader", "Reply: not a leader", false);
        base("  spaced \t   out  ", "spaced out", false);
        base("hello (fwd) (FWD)", "hello", true);
        base("[Fwd: [list] Re: nested]", "nested", true);
        base(null, "", false);
        base("Re:", "", true);
    }

    @Test
    void encodedWordsAreDecodedFirstAndKeysFolded() {
        base("Fwd: =?utf-8?q?Gr=C3=BC=C3=9Fe?=", "Grüße", true);
        assertThat(BaseSubject.of("GRÜSSE").key()).isEqualTo(BaseSubject.of("Re: grüße").key());
    }
}
