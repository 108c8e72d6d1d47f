package org.postwerk.policy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Watches the content as it streams and keeps what DMARC reads from it: the values of the {@code From:} header
 * fields (unfolded), and a key that is the same whenever the same message comes again, for the {@code pct}
 * draw: its {@code Message-ID}, or, without one, its From and Date fields and a SHA-256 of the body (hashed
 * only for such messages, and only when they have a From field). Keeps at most {@link #MAX_HEADER} bytes of
 * the header section.
 */
final class DmarcFields extends OutputStream {
    static final int MAX_HEADER = 256 * 1024;

    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final List<String> from = new ArrayList<>();
    private String messageId;
    private String date;
    private String field; // the name of the field being read, lower case; null for one we do not keep
    private StringBuilder current;
    private boolean headerDone;
    private MessageDigest body; // from the end of the header section, only without a Message-ID
    private long seen;
    private String key; // once computed: the digest cannot be read twice

    @Override
    public void write(int b) {
        if (body != null) {
            body.update((byte) b);
            return;
        }
        if (headerDone) {
            return;
        }
        if (++seen > MAX_HEADER) {
            headerDone = true;
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
        int i = off;
        for (; i < off + len && body == null && !headerDone; i++) {
            write(b[i]);
        }
        if (body != null && i < off + len) {
            body.update(b, i, off + len - i);
        }
    }

    private void lineDone(String text) {
        String l = text.endsWith("\r\n") ? text.substring(0, text.length() - 2) : text.stripTrailing();
        if (l.isEmpty()) {
            finishField();
            headerDone = true;
            if (messageId == null && !from.isEmpty()) { // without a From field DMARC draws nothing
                body = sha256();
            }
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
        String name = colon > 0 ? l.substring(0, colon).strip().toLowerCase(Locale.ROOT) : "";
        if (name.equals("from") || name.equals("message-id") || name.equals("date")) {
            field = name;
            current = new StringBuilder(l.substring(colon + 1));
        }
    }

    private void finishField() {
        if (current == null) {
            return;
        }
        String value = current.toString().strip();
        switch (field) {
            case "from" -> from.add(value);
            case "message-id" -> messageId = messageId == null ? value : messageId;
            default -> date = date == null ? value : date;
        }
        current = null;
    }

    /** The From field values seen so far (complete once the header section has ended). */
    List<String> from() {
        finishField();
        return List.copyOf(from);
    }

    /** The message's key for the {@code pct} draw (complete once the whole message was written). */
    String messageKey() {
        finishField();
        if (key == null) {
            String bodyHash = body == null ? "" : HexFormat.of().formatHex(body.digest());
            key = messageId != null ? "message-id:" + messageId
                    : "from:" + String.join(",", from) + "\ndate:" + (date == null ? "" : date) + "\nbody:" + bodyHash;
        }
        return key;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
