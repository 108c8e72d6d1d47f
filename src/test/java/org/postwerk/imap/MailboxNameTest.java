package org.postwerk.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.postwerk.mailbox.ModifiedUtf7;

class MailboxNameTest {
    @ParameterizedTest(name = "{0} <-> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            ~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e | ~peter/mail/&U,BTFw-/&ZeVnLIqe-
            Entw\u00fcrfe                               | Entw&APw-rfe
            a&b                                         | a&-b
            &                                           | &-
            \u00e4\u00f6\u00fc                          | &AOQA9gD8-
            \u00e4&                                     | &AOQ-&-
            Mail \ud83d\udce7                           | Mail &2D3c5w-
            plain ASCII ~!@#$%^*()                      | plain ASCII ~!@#$%^*()
            """)
    void modifiedUtf7RoundTrips(String name, String wire) {
        // The first row is RFC 3501 §5.1.3's own example.
        assertThat(ModifiedUtf7.encode(name)).isEqualTo(wire);
        assertThat(ModifiedUtf7.decode(wire)).contains(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "&Jjo",              // no shift back to US-ASCII
        "&U,BTFw-&ZeVnLIqe-", // null shift "-&": two runs must be one
        "&AGE-",             // base64 for "a", which must stand for itself
        "&AOR-",             // non-zero padding bits
        "&ZeVnLIq-",         // seven characters: not a whole number of UTF-16 units
        "&U/BTFw-",          // '/' is not in the modified alphabet
        "&2D0-",             // a lone high surrogate
        "&3Cc-",             // a lone low surrogate
        "\u00e4",            // raw 8-bit
        "tab\there",         // control character
        "a&b",               // '&' must be written "&-"
    })
    void invalidModifiedUtf7IsRefused(String wire) {
        assertThat(ModifiedUtf7.decode(wire)).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            inbox           | INBOX
            InBoX/Sub       | INBOX/Sub
            INBOXES         | INBOXES
            Work/2024/      | Work/2024
            Entw&APw-rfe    | Entw\u00fcrfe
            """)
    void validNamesRev1(String wire, String name) {
        assertThat(MailboxName.parse(wire, false)).isEqualTo(new MailboxName.Valid(new MailboxName(name)));
    }

    @Test
    void utf8ClientsSendNamesAsIs() {
        assertThat(MailboxName.parse("Entw\u00fcrfe", true)).isEqualTo(new MailboxName.Valid(new MailboxName("Entw\u00fcrfe")));
        assertThat(MailboxName.parse("a&b", true)).isInstanceOf(MailboxName.Valid.class);
        assertThat(MailboxName.parse("a&b", false)).isInstanceOf(MailboxName.Invalid.class);
        assertThat(new MailboxName("Entw\u00fcrfe").toWire(false)).isEqualTo("Entw&APw-rfe");
        assertThat(new MailboxName("Entw\u00fcrfe").toWire(true)).isEqualTo("Entw\u00fcrfe");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "a//b", "/a", "a//", "a\u0001b", "a\u0085b", "a\rb", "a*b", "a%b", "\ud800x"})
    void unacceptableNamesAreRefused(String name) {
        assertThat(MailboxName.parse(name, true)).isInstanceOf(MailboxName.Invalid.class);
    }

    @Test
    void lengthAndDepthAreBounded() {
        MailboxName.Limits limits = new MailboxName.Limits(10, 3);
        assertThat(MailboxName.parse("a/b/c", true, limits)).isInstanceOf(MailboxName.Valid.class);
        assertThat(MailboxName.parse("a/b/c/d", true, limits)).isEqualTo(new MailboxName.Invalid("too deep"));
        assertThat(MailboxName.parse("abcdefghij", true, limits)).isInstanceOf(MailboxName.Valid.class);
        assertThat(MailboxName.parse("abcdefghi\u00e4", true, limits)).isEqualTo(new MailboxName.Invalid("name too long"));
    }

    @Test
    void hierarchy() {
        MailboxName name = new MailboxName("INBOX/Work/2024");
        assertThat(name.levels()).containsExactly("INBOX", "Work", "2024");
        assertThat(name.parent()).contains(new MailboxName("INBOX/Work"));
        assertThat(MailboxName.INBOX.isInbox()).isTrue();
        assertThat(MailboxName.INBOX.parent()).isEmpty();
    }
}
