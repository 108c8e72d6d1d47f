package org.postwerk.smtp.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a message to the DATA stream (RFC 5321 §4.5.2): a line starting with '.' gets another '.', bare LF
 * becomes CRLF, the end is made to finish with CRLF, then the terminating {@code .CRLF} follows.
 */
final class DotStuffing {
    private DotStuffing() {}

    static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[64 * 1024];
        boolean lineStart = true;
        int prev = '\n';
        int n;
        while ((n = in.read(buf)) > 0) {
            for (int i = 0; i < n; i++) {
                int c = buf[i] & 0xff;
                if (lineStart && c == '.') {
                    out.write('.');
                }
                if (c == '\n' && prev != '\r') {
                    out.write('\r');
                }
                out.write(c);
                lineStart = c == '\n';
                prev = c;
            }
        }
        if (!lineStart) {
            out.write(prev == '\r' ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }
}
