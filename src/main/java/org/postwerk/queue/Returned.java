package org.postwerk.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a report returns of the original message, capped like Postfix's {@code bounce_size_limit}: the whole
 * message when RET asks for it (RFC 3461 §4.3) and it is at most {@code max} bytes; otherwise its header section
 * only, cut at a line boundary to at most {@code max} bytes. So no report carries more than {@code max} bytes of
 * text that someone else chose, whatever they sent (DSN reflection: a 10 MB header block, a foreign MAIL FROM).
 */
record Returned(Path original, boolean whole, long max) {
    /** The part to return: the whole message if {@code wanted} and small enough, else the header section. */
    static Returned of(Path original, boolean wanted, long max) throws IOException {
        return new Returned(original, wanted && Files.size(original) <= max, max);
    }

    void copy(OutputStream out) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(original))) {
            if (whole) {
                in.transferTo(out);
            } else {
                header(in, out);
            }
        }
    }

    /** Line by line up to the empty line that ends the header section (RFC 5322 §2.1), or the cap. */
    private void header(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        long written = 0;
        int first = -1;
        int c;
        while ((c = in.read()) >= 0) {
            if (written + line.size() + 1 > max) {
                return; // the rest of this line, and everything after it, would pass the cap
            }
            line.write(c);
            first = line.size() == 1 ? c : first;
            if (c == '\n') {
                boolean empty = line.size() == 1 || line.size() == 2 && first == '\r';
                line.writeTo(out);
                written += line.size();
                line.reset();
                if (empty) {
                    return;
                }
            }
        }
        line.writeTo(out);
    }
}
