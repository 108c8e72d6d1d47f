package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderTextTest {
    private final MessageStructure encoded = Corpus.parse("05-encoded-words");

    @Test
    void encodedWordsInSeveralCharsets() {
        Envelope e = encoded.envelope();
        assertThat(HeaderText.decode(e.subject())).isEqualTo("Grüße und été€uro");
        assertThat(HeaderText.addresses(e.from())).isEqualTo("Keld Jørn Simonsen <keld@example.dk>");
        assertThat(HeaderText.addresses(e.to())).isEqualTo("Иван Петров <ivan@example.ru>, Привет <privet@example.ru>");
        assertThat(HeaderText.addresses(e.cc())).isEqualTo("テスト <test@example.jp>, テスト <sjis@example.jp>");
    }

    @Test
    void unknownCharsetOrBrokenWordStaysAsWritten() {
        assertThat(HeaderText.decode("=?x-no-such-charset?Q?abc?= ok")).contains("ok");
        assertThat(HeaderText.decode("=?utf-8?B?###?=")).isNotNull();
        assertThat(HeaderText.decode("plain")).isEqualTo("plain");
    }

    @Test
    void rawUtf8HeadersAreText() {
        assertThat(HeaderText.decode(Corpus.parse("06-8bit-headers").envelope().subject()))
                .isEqualTo("Grüße — raw UTF-8 subject");
        assertThat(Corpus.parse("18-latin1-header").envelope().subject()).isEqualTo("café crème");
    }

    @Test
    void groupsInAddressText() {
        assertThat(HeaderText.addresses(Corpus.parse("10-groups").envelope().to()))
                .isEqualTo("A Group:, Ed Jones <c@a.test>, joe@where.test, John <jdoe@one.test>");
    }

    @Test
    void fieldsOfAHeaderBlockUnfolded() {
        byte[] header = "Subject: one\r\n two\r\nX-Tag: =?utf-8?q?caf=C3=A9?=\r\nno colon line\r\nx-tag: second\r\n\r\nbody"
                .getBytes(StandardCharsets.UTF_8);
        List<HeaderText.Field> fields = HeaderText.fields(header);
        assertThat(fields).extracting(HeaderText.Field::name).containsExactly("Subject", "X-Tag", "x-tag");
        assertThat(fields.get(0).value()).isEqualTo("one two");
        assertThat(HeaderText.values(fields, "X-TAG")).containsExactly("café", "second");
    }

    @Test
    void rfc2231ParametersDecoded() {
        Part attachment = ((Part.Multipart) encoded.root().body()).parts().get(1);
        assertThat(HeaderText.param(attachment.content().params(), "name")).isEqualTo("€ rates.txt");
        assertThat(HeaderText.param(attachment.content().dispositionParams(), "filename")).isEqualTo("€ rates.txt");
    }
}
