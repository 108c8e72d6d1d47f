package org.postwerk.pop3;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines of at most {@code max} octets. A longer line is read to its end and dropped (the session
 * answers -ERR and stays in step); CRLF or a bare LF ends a line, as most servers accept. Not thread-safe.
 */
final class LineInput {
    /** What a read found: a line, a line too long (dropped), or the end of the stream. */
    sealed interface Read {
        record Line(String text) implements Read {}

        record TooLong() implements Read {}

        record Eof() implements Read {}
    }

    private BufferedInputStream in;
    private final byte[] buffer;

    LineInput(InputStream in, int max) {
        this.in = new BufferedInputStream(in, 4096);
        this.buffer = new byte[max];
    }

    /** After STLS: read from the TLS stream; anything buffered from the plain one is dropped. */
    void switchTo(InputStream next) {
        in = new BufferedInputStream(next, 4096);
    }

    /** Octets received but not yet read (pipelined commands, or plaintext injected after STLS). */
    int buffered() throws IOException {
        return in.available();
    }

    Read read() throws IOException {
        int n = 0;
        boolean tooLong = false;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return new Read.Eof();
            }
            if (b == '\n') {
                if (tooLong) {
                    return new Read.TooLong();
                }
                int end = n > 0 && buffer[n - 1] == '\r' ? n - 1 : n;
                return new Read.Line(new String(buffer, 0, end, StandardCharsets.UTF_8));
            }
            if (n == buffer.length) {
                tooLong = true;
            } else {
                buffer[n++] = (byte) b;
            }
        }
    }
}
