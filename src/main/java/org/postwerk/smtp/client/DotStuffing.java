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
        byte[] buf = new byte[16 * 1024];
        boolean lineStart = true;
        int prev = '\n';
        int n;
        while ((n = in.read(buf)) > 0) {
            // Runs of ordinary bytes go out in one write; only the bytes that need an insertion break a run.
            int run = 0;
            for (int i = 0; i < n; i++) {
                byte c = buf[i];
                if (lineStart && c == '.') {
                    out.write(buf, run, i - run);
                    out.write('.');
                    run = i;
                } else if (c == '\n' && prev != '\r') {
                    out.write(buf, run, i - run);
                    out.write('\r');
                    run = i;
                }
                lineStart = c == '\n';
                prev = c;
            }
            out.write(buf, run, n - run);
        }
        if (!lineStart) {
            out.write(prev == '\r' ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }
}
