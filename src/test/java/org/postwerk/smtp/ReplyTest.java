package org.postwerk.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyTest {
    @Test
    void singleLineCarriesEnhancedStatus() {
        assertThat(Reply.of(550, 5, 1, 1, "No such user").wire()).isEqualTo("550 5.1.1 No such user\r\n");
    }

    @Test
    void multiLineRepeatsCodeAndStatusOnEveryLine() {
        Reply r = new Reply(250, EnhancedStatus.of(2, 0, 0), List.of("one", "two"));
        assertThat(r.wire()).isEqualTo("250-2.0.0 one\r\n250 2.0.0 two\r\n");
    }

    @Test
    void plainReplyHasNoStatus() {
        assertThat(Reply.plain(220, List.of("mx ESMTP")).wire()).isEqualTo("220 mx ESMTP\r\n");
    }

    @Test
    void statusClassMustMatchCode() {
        assertThatThrownBy(() -> Reply.of(250, 5, 0, 0, "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
