package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {
    @Test
    void rfc3501Examples() {
        assertThat(ModifiedUtf7.encode("~peter/mail/台北/日本語")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).contains("~peter/mail/台北/日本語");
        assertThat(ModifiedUtf7.encode("A&B")).isEqualTo("A&-B");
        assertThat(ModifiedUtf7.decode("A&-B")).contains("A&B");
        assertThat(ModifiedUtf7.encode("Entwürfe")).isEqualTo("Entw&APw-rfe");
    }

    @Test
    void refusesBrokenOrNonCanonicalForms() {
        assertThat(ModifiedUtf7.decode("&U,BTFw")).isEmpty();    // unterminated
        assertThat(ModifiedUtf7.decode("&AGEAYgBj-")).isEmpty(); // "abc" encoded: printable ASCII must stand for itself
        assertThat(ModifiedUtf7.decode("&2D0A5A-")).isEmpty(); // a high surrogate without its low one
        assertThat(ModifiedUtf7.decode("&=-")).isEmpty();
        assertThat(ModifiedUtf7.decode("ä")).isEmpty();
        assertThat(ModifiedUtf7.decode("&AOQ-&AOQ-")).isEmpty(); // a null shift: RFC 3501 wants one run
    }
}
