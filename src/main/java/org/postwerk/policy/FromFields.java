package org.postwerk.policy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Watches the content as it streams and keeps the values of the {@code From:} header fields (unfolded), for
 * DMARC. Stops looking at the end of the header section; keeps at most {@link #MAX_HEADER} bytes of it.
 */
final class FromFields extends OutputStream {
    static final int MAX_HEADER = 256 * 1024;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> values = new ArrayList<>();
    private StringBuilder current;
    private boolean done;
    private long seen;

    @Override
    public void write(int b) {
        if (done) {
            return;
        }
        if (++seen > MAX_HEADER) {
            done = true;
            return;
        }
        line.write(b);
        if (b == '\n') {
            lineDone(line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len && !done; i++) {
            write(b[i]);
        }
    }

    private void lineDone(String text) {
        String l = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.stripTrailing();
        if (l.isEmpty()) {
            finishField();
            done = true;
            return;
        }
        if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
            if (current != null) {
                current.append(l); // RFC 5322 §2.2.3: unfolding removes only the CRLF
            }
            return;
        }
        finishField();
        int colon = l.indexOf(':');
        if (colon > 0 && l.substring(0, colon).strip().toLowerCase(Locale.ROOT).equals("from")) {
            current = new StringBuilder(l.substring(colon + 1));
        }
    }

    private void finishField() {
        if (current != null) {
            values.add(current.toString().strip());
            current = null;
        }
    }

    /** The From field values seen so far (complete once the header section has ended). */
    List<String> values() {
        finishField();
        return List.copyOf(values);
    }
}
