package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FromDomainTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "alice@example.com                                          | example.com",
            "Alice@Example.COM                                          | example.com",
            "<alice@example.com>                                        | example.com",
            "Alice Example <alice@example.com>                          | example.com",
            "\"Example, Alice\" <alice@example.com>                     | example.com",
            "\"Alice <alice@evil.example>\" <alice@example.com>         | example.com",
            "\"quoted \\\" @evil.example\" <alice@example.com>          | example.com",
            "(comment, with @evil.example) alice@example.com            | example.com",
            "alice@example.com (Alice (nested) @evil.example)           | example.com",
            "alice(c)@(c)example(c).(c)com                              | example.com",
            "=?UTF-8?Q?J=C3=B6rg?= <joerg@example.com>                  | example.com",
            "=?utf-8?B?QGV2aWwuZXhhbXBsZQ==?= <a@example.com>           | example.com",
            "John Q. Public <john@example.com>                          | example.com",
            "\"a b\"@example.com                                        | example.com",
            "first.last@sub.example.co.uk                               | sub.example.co.uk",
            "<@route.example,@other.example:alice@example.com>          | example.com",
            "Jörg <jörg@bücher.de>                                      | xn--bcher-kva.de",
            "jorg@xn--bcher-kva.de                                      | xn--bcher-kva.de",
            "Group: alice@example.com;                                  | example.com",
            "Group: Alice <alice@example.com>, ;                        | example.com",
            "alice@example.com,                                         | example.com",
    })
    void oneMailbox(String value, String domain) {
        assertThat(FromDomain.parse(value)).isEqualTo(new FromDomain.Found(domain));
    }

    @Test
    void foldedFieldIsUnfolded() {
        assertThat(FromDomain.parse("Alice Example\r\n <alice@example.com>\r\n"))
                .isEqualTo(new FromDomain.Found("example.com"));
    }

    @Test
    void severalMailboxesAreListed() {
        assertThat(FromDomain.parse("a@example.com, Bob <b@example.net>"))
                .isEqualTo(new FromDomain.SeveralMailboxes(List.of("example.com", "example.net")));
        assertThat(FromDomain.parse("Team: a@example.com, b@example.com;"))
                .isEqualTo(new FromDomain.SeveralMailboxes(List.of("example.com", "example.com")));
        assertThat(FromDomain.parse("G: a@example.com;, c@example.org"))
                .isEqualTo(new FromDomain.SeveralMailboxes(List.of("example.com", "example.org")));
    }

    @Test
    void fieldCount() {
        assertThat(FromDomain.parse(List.of())).isEqualTo(new FromDomain.Missing());
        assertThat(FromDomain.parse(List.of("a@example.com", "b@example.com")))
                .isEqualTo(new FromDomain.SeveralFields(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "   ",
            "undisclosed-recipients:;",
            "Alice",
            "alice",
            "alice@",
            "@example.com",
            "alice@example..com",
            "alice@.example.com",
            "alice@-bad-.example",
            "alice@exa mple.com",
            "a b@example.com",
            "alice@[192.0.2.1]",
            "<alice@example.com",
            "Alice <alice>",
            "\"unterminated <alice@example.com>",
            "(unterminated alice@example.com",
            "alice@example.com <bob@example.net>",
            "G: a@example.com",
            "G: a@example.com b@example.net;",
            "G: H: a@example.com;;",
            "alice@exam_ple.com)",
            "a@b@example.com",
            "alice@example.com.", // RFC 5322 dot-atom: no trailing dot
    })
    void unusable(String value) {
        assertThat(FromDomain.parse(value)).isInstanceOf(FromDomain.Unusable.class);
    }
}
