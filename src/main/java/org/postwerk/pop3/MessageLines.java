package org.postwerk.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Sends a stored message (CRLF form) as the body of a multi-line response (RFC 1939 §3): a line that begins
 * with "." gets one more, the last line is ended with CRLF if the message lacks it, and ".CRLF" closes. For TOP
 * only the header, the empty line after it, and the first {@code n} lines of the body go out.
 */
final class MessageLines {
    private MessageLines() {}

    /** @param bodyLines lines of the body to send, or -1 for the whole message */
    static void send(InputStream crlf, OutputStream out, long bodyLines) throws IOException {
        byte[] buf = new byte[8192];
        boolean lineStart = true;
        boolean inBody = false;
        boolean emptyLine = false; // the current line has had no octet but CR so far
        long sent = 0;
        int n;
        outer:
        while ((n = crlf.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (lineStart) {
                    if (inBody && bodyLines >= 0 && sent >= bodyLines) {
                        out.write(buf, from, i - from);
                        break outer;
                    }
                    emptyLine = true;
                    if (b == '.') {
                        out.write(buf, from, i - from);
                        out.write('.');
                        from = i; // the original dot follows
                    }
                    lineStart = false;
                }
                if (b == '\n') {
                    lineStart = true;
                    if (inBody) {
                        sent++;
                    } else if (emptyLine) {
                        inBody = true; // RFC 5322 §2.1: the first empty line ends the header
                    }
                } else if (b != '\r') {
                    emptyLine = false;
                }
            }
            out.write(buf, from, n - from);
        }
        if (!lineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }
}
