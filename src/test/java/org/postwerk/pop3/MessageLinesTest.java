package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageLinesTest {
    private static String send(String crlf, long lines) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageLines.send(new ByteArrayInputStream(crlf.getBytes(StandardCharsets.UTF_8)), out, lines);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void dotStuffingAndTerminator() throws Exception {
        assertThat(send("A: b\r\n\r\n.\r\n.x\r\nend\r\n", -1)).isEqualTo("A: b\r\n\r\n..\r\n..x\r\nend\r\n.\r\n");
        assertThat(send("A: b\r\n\r\nno final line end", -1)).isEqualTo("A: b\r\n\r\nno final line end\r\n.\r\n");
        assertThat(send("", -1)).isEqualTo(".\r\n");
    }

    @Test
    void topSendsTheHeaderAndSomeBodyLines() throws Exception {
        String m = "A: b\r\nC: .d\r\n\r\n.one\r\ntwo\r\n\r\nfour\r\n";
        assertThat(send(m, 0)).isEqualTo("A: b\r\nC: .d\r\n\r\n.\r\n");
        assertThat(send(m, 1)).isEqualTo("A: b\r\nC: .d\r\n\r\n..one\r\n.\r\n");
        assertThat(send(m, 3)).isEqualTo("A: b\r\nC: .d\r\n\r\n..one\r\ntwo\r\n\r\n.\r\n");
        assertThat(send(m, Integer.MAX_VALUE)).isEqualTo(send(m, -1));
        assertThat(send("A: b\r\n", 0)).isEqualTo("A: b\r\n.\r\n"); // no body at all
    }

    @Test
    void dotsAcrossBufferBoundaries() throws Exception {
        String line = "x".repeat(8190) + "\r\n"; // the next line's dot is the first octet of a new read
        assertThat(send("A: b\r\n\r\n" + line + ".y\r\n", -1)).endsWith(line + "..y\r\n.\r\n");
    }
}
