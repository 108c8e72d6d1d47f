package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {
    @Test
    void rfc3501Examples() {
        assertThat(ModifiedUtf7.encode("~peter/mail/台北/日本語")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).isEqualTo("~peter/mail/台北/日本語");
        assertThat(ModifiedUtf7.encode("A&B")).isEqualTo("A&-B");
        assertThat(ModifiedUtf7.decode("A&-B")).isEqualTo("A&B");
        assertThat(ModifiedUtf7.encode("Entwürfe")).isEqualTo("Entw&APw-rfe");
    }

    @Test
    void refusesBrokenOrNonCanonicalForms() {
        assertThat(ModifiedUtf7.decode("&U,BTFw")).isNull();    // unterminated
        assertThat(ModifiedUtf7.decode("&AGEAYgBj-")).isNull(); // "abc" encoded: printable ASCII must stand for itself
        assertThat(ModifiedUtf7.decode("&2D0A5A-")).isNull(); // a high surrogate without its low one
        assertThat(ModifiedUtf7.decode("&=-")).isNull();
        assertThat(ModifiedUtf7.decode("ä")).isNull();
    }
}
