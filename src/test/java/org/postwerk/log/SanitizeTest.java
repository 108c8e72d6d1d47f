package org.postwerk.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SanitizeTest {
    @Test
    void logValuesCannotStartLinesOrFakeFields() {
        assertThat(Sanitize.log("nobody\n2026 INFO event=auth user=admin"))
                .isEqualTo("\"nobody\\u000a2026 INFO event=auth user=admin\"");
        assertThat(Sanitize.log("<\"a to=<admin@test> size=1 x\"@example.org>"))
                .isEqualTo("\"<\\u0022a to=<admin@test> size=1 x\\u0022@example.org>\"");
        assertThat(Sanitize.log("<user@example.org>")).isEqualTo("<user@example.org>");
        assertThat(Sanitize.log("evil\u202ereversed")).isEqualTo("evil\\u202ereversed");
        assertThat(Sanitize.log(null)).isEqualTo("-");
    }

    @Test
    void headerTextIsPrintableAsciiWithoutParentheses() {
        assertThat(Sanitize.text("host (fake)\r\nX: y", 80)).isEqualTo("host??fake???X:?y");
    }
}
