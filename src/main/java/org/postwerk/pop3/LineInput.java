package org.postwerk.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads command lines of at most {@code max} octets. A longer line is read to its end and dropped (the session
 * answers -ERR and stays in step); CRLF or a bare LF ends a line, as most servers accept. Its own buffer, so
 * {@link #buffered} counts only what was read from the connection and not yet used — never what is still in
 * the kernel (after STLS that is the client's TLS handshake, not injected plaintext). Not thread-safe.
 */
final class LineInput {
    /** What a read found: a line, a line too long (dropped), or the end of the stream. */
    sealed interface Read {
        record Line(String text) implements Read {}

        record TooLong() implements Read {}

        record Eof() implements Read {}
    }

    private InputStream in;
    private final byte[] line;
    private final byte[] buffer = new byte[4096];
    private int pos;
    private int limit;

    LineInput(InputStream in, int max) {
        this.in = in;
        this.line = new byte[max];
    }

    /** After STLS: read from the TLS stream; anything buffered from the plain one is dropped. */
    void switchTo(InputStream next) {
        in = next;
        pos = 0;
        limit = 0;
    }

    /** Octets received and read from the connection but not yet used (pipelined commands, or injected ones). */
    int buffered() {
        return limit - pos;
    }

    Read read() throws IOException {
        int n = 0;
        boolean tooLong = false;
        while (true) {
            if (pos == limit) {
                limit = in.read(buffer);
                pos = 0;
                if (limit < 0) {
                    limit = 0;
                    return new Read.Eof();
                }
                continue;
            }
            byte b = buffer[pos++];
            if (b == '\n') {
                if (tooLong) {
                    return new Read.TooLong();
                }
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new Read.Line(new String(line, 0, end, StandardCharsets.UTF_8));
            }
            if (n == line.length) {
                tooLong = true;
            } else {
                line[n++] = b;
            }
        }
    }
}
