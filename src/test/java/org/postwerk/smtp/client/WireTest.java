package org.postwerk.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postwerk.smtp.Reply;

/** The client's pure stream pieces: reply parsing and dot-stuffing. */
class WireTest {
    private static Reply reply(String wire) throws IOException {
        return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8))).read();
    }

    @Test
    void multiLineReplyWithEnhancedStatus() throws IOException {
        Reply r = reply("550-5.1.1 first\r\n550 5.1.1 second\r\n");
        assertThat(r.code()).isEqualTo(550);
        assertThat(r.status()).hasToString("5.1.1");
        assertThat(r.lines()).containsExactly("first", "second");
    }

    @Test
    void statusOfAnotherClassIsTextAndBareCodeIsAccepted() throws IOException {
        assertThat(reply("451 5.1.1 odd\r\n").status()).isNull();
        assertThat(reply("250\r\n").code()).isEqualTo(250);
        assertThat(reply("220 mx ESMTP\n").lines()).containsExactly("mx ESMTP");
    }

    @Test
    void garbageIsMalformed() {
        for (String bad : new String[] {"hello\r\n", "25 short\r\n", "250-a\r\n251 b\r\n", "999 x\r\n", "250x\r\n"}) {
            assertThatThrownBy(() -> reply(bad)).as(bad).isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "a\\r\\n|a\\r\\n.\\r\\n",
        ".x\\r\\n|..x\\r\\n.\\r\\n",
        "a\\r\\n.\\r\\nb|a\\r\\n..\\r\\nb\\r\\n.\\r\\n",
        "bare\\nlf|bare\\r\\nlf\\r\\n.\\r\\n",
        "ends with cr\\r|ends with cr\\r\\n.\\r\\n",
    })
    void dotStuffing(String in, String out) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DotStuffing.copy(new ByteArrayInputStream(unescape(in)), b);
        assertThat(b.toString(StandardCharsets.UTF_8)).isEqualTo(new String(unescape(out), StandardCharsets.UTF_8));
    }

    @org.junit.jupiter.api.Test
    void dotStuffingAcrossTheCopyBuffer() throws IOException {
        // The copy reads 16 KiB at a time: a CR ending one read and its LF starting the next stay one CRLF, and
        // a dot starting the next read after a line end is still stuffed.
        String first = "a".repeat(16 * 1024 - 1);
        String in = first + "\r\n.x\nb" + "c".repeat(16 * 1024 - 6) + "\n.y";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DotStuffing.copy(new ByteArrayInputStream(in.getBytes(StandardCharsets.US_ASCII)), b);
        assertThat(b.toString(StandardCharsets.US_ASCII)).isEqualTo(
                first + "\r\n..x\r\nb" + "c".repeat(16 * 1024 - 6) + "\r\n..y\r\n.\r\n");
    }

    private static byte[] unescape(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.UTF_8);
    }
}
