package org.postwerk.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineInputTest {
    /** Gives one chunk per read, and says (like a socket) that more is waiting in the kernel. */
    private static InputStream chunks(String... parts) {
        return new InputStream() {
            int next;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (next == parts.length) {
                    return -1;
                }
                byte[] p = parts[next++].getBytes(StandardCharsets.UTF_8);
                System.arraycopy(p, 0, b, off, p.length);
                return p.length;
            }

            @Override
            public int available() {
                return next < parts.length ? 100 : 0;
            }
        };
    }

    @Test
    void bufferedCountsOnlyWhatWasReadNotWhatTheKernelHolds() throws IOException {
        // After "STLS" the client's ClientHello may already wait in the socket: that is no injection (this was
        // a flaky STLS before: the check asked the socket's available()).
        LineInput in = new LineInput(chunks("STLS\r\n", "\u0016\u0003\u0001 client hello"), 100);
        assertThat(in.read()).isEqualTo(new LineInput.Read.Line("STLS"));
        assertThat(in.buffered()).isZero();
        LineInput injected = new LineInput(chunks("STLS\r\nUSER x\r\n"), 100);
        assertThat(injected.read()).isEqualTo(new LineInput.Read.Line("STLS"));
        assertThat(injected.buffered()).isEqualTo(8);
    }

    @Test
    void longLinesAreDroppedWholeAndBareLfEndsALine() throws IOException {
        LineInput in = new LineInput(new ByteArrayInputStream("0123456789ab\r\nok\nlast".getBytes(StandardCharsets.UTF_8)), 10);
        assertThat(in.read()).isInstanceOf(LineInput.Read.TooLong.class);
        assertThat(in.read()).isEqualTo(new LineInput.Read.Line("ok"));
        assertThat(in.read()).isInstanceOf(LineInput.Read.Eof.class);
    }
}
