package org.postwerk.mime;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Collects the values of the header fields the structure needs, line by line, from one header block. Fields are
 * unfolded (RFC 5322 §2.2.3), leading white space dropped and trailing kept (as ENVELOPE shows it, like Dovecot),
 * and each value is bounded: a huge header costs a scan, not memory. The first
 * occurrence of a field wins. Lines that are neither a field nor a continuation (no colon, a bad name) are
 * skipped, as Dovecot does, so a broken line does not hide the fields after it.
 */
final class HeaderCollector {
    static final Set<String> MIME_FIELDS = Set.of("content-type", "content-transfer-encoding", "content-id",
            "content-description", "content-md5", "content-disposition", "content-language", "content-location");
    static final Set<String> MESSAGE_FIELDS = Set.of("date", "subject", "from", "sender", "reply-to", "to", "cc",
            "bcc", "in-reply-to", "message-id", "references");

    private final boolean message;
    private final int maxValue;
    private final Map<String, String> values = new HashMap<>();
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private String currentName;

    HeaderCollector(boolean message, int maxValue) {
        this.message = message;
        this.maxValue = maxValue;
    }

    /** One header line (not the blank line that ends the header). */
    void line(LineReader r) {
        byte[] p = r.prefix;
        int n = (int) Math.min(r.prefixLength, r.contentLength());
        if (n > 0 && (p[0] == ' ' || p[0] == '\t')) {
            if (currentName != null) {
                append(r, 0, n);
            }
            return;
        }
        finish();
        int colon = 0;
        while (colon < n && p[colon] != ':') {
            colon++;
        }
        if (colon == n) {
            return;
        }
        String name = new String(p, 0, colon, StandardCharsets.ISO_8859_1).strip().toLowerCase(Locale.ROOT);
        if (MIME_FIELDS.contains(name) || message && MESSAGE_FIELDS.contains(name)) {
            if (!values.containsKey(name)) {
                currentName = name;
                append(r, colon + 1, n);
            }
        }
    }

    private void append(LineReader r, int from, int to) {
        int room = maxValue - current.size();
        int n = Math.min(room, to - from);
        if (n > 0) {
            current.write(r.prefix, from, n);
        }
        long contentPastPrefix = r.contentLength() - r.prefixLength;
        if (contentPastPrefix > 0 && r.tailLength() > 0) {
            int t = (int) Math.min(Math.min(r.tailLength(), contentPastPrefix), maxValue - current.size());
            if (t > 0) {
                current.write(r.tail(), 0, t);
            }
        }
    }

    /** Ends the field being collected (at the next field or the end of the header). */
    void finish() {
        if (currentName != null) {
            byte[] raw = current.toByteArray();
            values.put(currentName, decode(raw).stripLeading());
            currentName = null;
        }
        current.reset();
    }

    String get(String name) {
        return values.get(name);
    }

    Envelope envelope() {
        return new Envelope(get("date"), get("subject"), get("from"), get("sender"), get("reply-to"), get("to"),
                get("cc"), get("bcc"), get("in-reply-to"), get("message-id"), get("references"));
    }

    /** Raw header octets: UTF-8 when they are (RFC 6532), else ISO-8859-1 so that every octet survives. */
    static String decode(byte[] raw) {
        boolean ascii = true;
        for (byte b : raw) {
            if (b < 0) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }
}
