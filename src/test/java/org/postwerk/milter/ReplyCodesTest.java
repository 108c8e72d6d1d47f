package org.postwerk.milter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplyCodesTest {
    @Test
    void aMilterReplyIsCheckedAndGetsAnEnhancedCodeOfItsClass() {
        assertThat(ReplyCodes.parse("554 5.7.1 Gtube pattern").wire()).isEqualTo("554 5.7.1 Gtube pattern\r\n");
        assertThat(ReplyCodes.parse("450 try later").wire()).isEqualTo("450 4.7.1 try later\r\n");
        assertThat(ReplyCodes.parse("450 5.7.1 wrong class").wire()).isEqualTo("450 4.7.1 wrong class\r\n");
        assertThat(ReplyCodes.parse("550-5.7.1 one\r\n550 5.7.1 two").wire())
                .isEqualTo("550-5.7.1 one\r\n550 5.7.1 two\r\n");
        assertThat(ReplyCodes.parse("250 2.0.0 ok")).isNull();
        assertThat(ReplyCodes.parse("354 go on")).isNull();
        assertThat(ReplyCodes.parse("55x no")).isNull();
        assertThat(ReplyCodes.parse("550 bad\u0001text")).isNull();
        assertThat(ReplyCodes.parse("550-5.7.1 one\r\n451 4.7.1 two")).isNull();
    }
}
