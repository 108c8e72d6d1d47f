package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class SearchTextTest {
    static SearchText.Source source(byte[] message) {
        return (start, end) -> new ByteArrayInputStream(message, (int) start, (int) (end - start));
    }

    private static String body(String name) throws IOException {
        byte[] m = Corpus.message(name);
        return SearchText.bodyText(Corpus.parse(m), source(m));
    }

    @Test
    void caseInsensitiveByUnicodeCaseMapping() {
        assertThat(SearchText.Needle.of("MÜNCHEN").in("Grüße aus München")).isTrue();
        assertThat(SearchText.Needle.of("strasse").in("Straße")).isTrue();
        assertThat(SearchText.Needle.of("ΣΟΦΟΣ").in("σοφος")).isTrue();
        assertThat(SearchText.Needle.of("é").in("cafe\u0301")).isTrue();
        assertThat(SearchText.Needle.of("fi").in("\uFB01le")).isTrue();
        assertThat(SearchText.Needle.of("muller").in("Müller")).isFalse();
        assertThat(SearchText.Needle.of("").in("anything")).isTrue();
        assertThat(SearchText.Needle.of("x").in(null)).isFalse();
    }

    @Test
    void bodyTextDecodesTransferEncodingAndCharset() throws IOException {
        String alt = body("02-alternative");
        assertThat(alt).contains("Grüße aus München,\r\nline two").contains("<html><body>Grüße");
        assertThat(body("05-encoded-words")).contains("Straße und Käse").doesNotContain("\0\1");
        assertThat(body("04-rfc822")).contains("See the attached message.").contains("inner text").contains("1,2");
        assertThat(body("18-latin1-header")).isEqualTo("café\r\n");
        assertThat(body("08-no-body")).isEmpty();
    }

    @Test
    void workPerMessageIsBounded() throws IOException {
        byte[] big = Corpus.crlf(("Subject: big\n\n" + "abcdefghij".repeat(SearchText.MAX_TEXT / 5)).getBytes());
        assertThat(SearchText.bodyText(Corpus.parse(big), source(big))).hasSize(SearchText.MAX_TEXT);
    }
}
