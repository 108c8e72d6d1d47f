package org.postwerk.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineEndsTest {
    @Test
    void crlfBecomesLfAndBack() throws Exception {
        String crlf = "Subject: x\r\n\r\nline\r\nlone\rcr\r\n";
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        LineEnds.ToLf lf = LineEnds.toLf(file);
        byte[] in = crlf.getBytes(StandardCharsets.US_ASCII);
        for (byte b : in) { // byte by byte: a CR at a write's end must wait for the next write
            lf.write(b);
        }
        lf.finish();
        assertThat(file.toString(StandardCharsets.US_ASCII)).isEqualTo("Subject: x\n\nline\nlone\rcr\n");
        assertThat(lf.crlfSize()).isEqualTo(in.length);
        assertThat(lf.lfSize()).isEqualTo(file.size());
        assertThat(readAll(LineEnds.toCrlf(new ByteArrayInputStream(file.toByteArray())), 7)).isEqualTo(crlf);
    }

    @Test
    void crlfFilesOfOlderStoresReadUnchanged() throws Exception {
        String crlf = "A: b\r\n\r\nbody\r\n";
        assertThat(readAll(LineEnds.toCrlf(new ByteArrayInputStream(crlf.getBytes(StandardCharsets.US_ASCII))), 3))
                .isEqualTo(crlf);
    }

    @Test
    void randomRoundTrips() throws Exception {
        Random r = new Random(7);
        for (int round = 0; round < 500; round++) {
            StringBuilder sb = new StringBuilder();
            int lines = r.nextInt(20);
            for (int i = 0; i < lines; i++) {
                sb.append("x".repeat(r.nextInt(100))).append("\r\n");
            }
            byte[] crlf = sb.toString().getBytes(StandardCharsets.US_ASCII);
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            LineEnds.ToLf lf = LineEnds.toLf(file);
            int pos = 0;
            while (pos < crlf.length) {
                int n = Math.min(crlf.length - pos, 1 + r.nextInt(50));
                lf.write(crlf, pos, n);
                pos += n;
            }
            lf.finish();
            assertThat(readAll(LineEnds.toCrlf(new ByteArrayInputStream(file.toByteArray())), 1 + r.nextInt(64)))
                    .isEqualTo(sb.toString());
        }
    }

    private static String readAll(InputStream in, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[chunk];
        int n;
        while ((n = in.read(buf, 0, chunk)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
