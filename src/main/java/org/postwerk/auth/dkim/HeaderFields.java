package org.postwerk.auth.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields of a message, in order, each exactly as received (folding and final CRLF kept; bytes as
 * ISO-8859-1 chars so simple canonicalisation sees the original octets, UTF-8 included).
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's header model)
public record HeaderFields(List<Field> fields) {

    public HeaderFields {
        fields = List.copyOf(fields);
    }

    /** One field: {@code raw} is the whole field including its CRLF, {@code name} what precedes the colon. */
    public record Field(String name, String raw) {
        /** The value: everything after the colon, folding included, final CRLF removed. */
        public String value() {
            String v = raw.substring(raw.indexOf(':') + 1);
            return v.endsWith("\r\n") ? v.substring(0, v.length() - 2) : v;
        }

        public boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }
    }

    /** Splits a header block (without the empty line that ends it). Lines that are not fields are skipped. */
    public static HeaderFields parse(byte[] block, int length) {
        String text = new String(block, 0, length, StandardCharsets.ISO_8859_1);
        List<Field> fields = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = fieldEnd(text, start);
            String raw = text.substring(start, end);
            int colon = raw.indexOf(':');
            if (colon > 0) {
                fields.add(new Field(raw.substring(0, colon).replaceAll("[ \t]+$", ""), raw));
            }
            start = end;
        }
        return new HeaderFields(fields);
    }

    /** A field continues on lines that start with WSP (RFC 5322 §2.2.3). */
    private static int fieldEnd(String text, int start) {
        int pos = start;
        while (true) {
            int lf = text.indexOf('\n', pos);
            if (lf < 0) {
                return text.length();
            }
            pos = lf + 1;
            if (pos >= text.length() || (text.charAt(pos) != ' ' && text.charAt(pos) != '\t')) {
                return pos;
            }
        }
    }

    public List<Field> named(String name) {
        return fields.stream().filter(f -> f.is(name)).toList();
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
