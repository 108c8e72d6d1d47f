package org.postwerk.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BinaryTest {
    private static String decoded(String name, Integer... path) throws IOException {
        byte[] message = Corpus.message(name);
        Binary.Target t = Binary.locate(Corpus.parse(message), List.of(path));
        assertThat(t).isInstanceOf(Binary.Content.class);
        Binary.Content c = (Binary.Content) t;
        byte[] raw = Arrays.copyOfRange(message, (int) c.range().start(), (int) c.range().end());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long size = Binary.copy(new ByteArrayInputStream(raw), c.encoding(), out);
        assertThat(size).isEqualTo(out.size());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void quotedPrintableAndBase64AreDecoded() throws IOException {
        assertThat(decoded("02-alternative", 1)).isEqualTo("Grüße aus München,\r\nline two");
        assertThat(decoded("02-alternative", 2)).isEqualTo("<html><body>Grüße aus München</body></html>\n");
        assertThat(decoded("05-encoded-words", 2)).isEqualTo("\0\1\2\3\4\5");
    }

    @Test
    void unencodedPartsAndTheWholeMessagePassAsTheyAre() throws IOException {
        assertThat(decoded("04-rfc822", 1)).isEqualTo("See the attached message.");
        assertThat(decoded("04-rfc822", 2)).startsWith("From: Original Sender");
        assertThat(decoded("01-simple")).startsWith("Return-Path:");
    }

    @Test
    void unknownEncodingIsReportedForUnknownCte() {
        Binary.Target t = Binary.locate(Corpus.parse("15-extension-fields"), List.of(2));
        assertThat(t).isEqualTo(new Binary.Unknown("x-uuencode"));
        assertThat(Binary.locate(Corpus.parse("15-extension-fields"), List.of(9))).isInstanceOf(Binary.Missing.class);
    }
}
