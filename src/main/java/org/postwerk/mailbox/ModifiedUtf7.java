package org.postwerk.mailbox;

import java.util.Optional;

/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): on the wire with IMAP4rev1 clients that have not enabled
 * UTF8=ACCEPT or IMAP4rev2 (RFC 9051 §5.1 and Appendix A), and in Maildir++ folder directory names, as Dovecot
 * writes them. Printable US-ASCII except {@code &} stands for
 * itself, {@code &} is {@code &-}, everything else is UTF-16 in base64 with {@code ,} for {@code /}, between
 * {@code &} and {@code -}. Decoding is strict: anything an encoder would not have produced is rejected, so one name has one spelling.
 */
public final class ModifiedUtf7 {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    private ModifiedUtf7() {}

    private static boolean printable(int c) {
        return c >= 0x20 && c <= 0x7e;
    }

    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length() + 8);
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (printable(c)) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int end = i;
            while (end < name.length() && !printable(name.charAt(end))) {
                end++;
            }
            out.append('&');
            encodeRun(name, i, end, out);
            out.append('-');
            i = end;
        }
        return out.toString();
    }

    /** UTF-16BE of {@code s[from, to)} in modified base64, without padding. */
    private static void encodeRun(String s, int from, int to, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        for (int i = from; i < to; i++) {
            buffer = buffer << 16 | s.charAt(i);
            bits += 16;
            while (bits >= 6) {
                bits -= 6;
                out.append(ALPHABET.charAt(buffer >>> bits & 0x3f));
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0) {
            out.append(ALPHABET.charAt(buffer << (6 - bits) & 0x3f));
        }
    }

    /** The Unicode name, or empty when {@code wire} is not valid modified UTF-7. */
    public static Optional<String> decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        int lastRunEnd = -1;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (!printable(c)) {
                return Optional.empty();
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = wire.indexOf('-', i + 1);
            if (dash < 0) {
                return Optional.empty(); // a name must end in US-ASCII
            }
            if (dash == i + 1) {
                out.append('&');
            } else if (i == lastRunEnd || !decodeRun(wire, i + 1, dash, out)) {
                return Optional.empty(); // i == lastRunEnd: a null shift "-&", which RFC 3501 forbids
            } else {
                lastRunEnd = dash + 1;
            }
            i = dash + 1;
        }
        return Optional.of(out.toString());
    }

    private static boolean decodeRun(String s, int from, int to, StringBuilder out) {
        int bits = 0;
        int buffer = 0;
        int start = out.length();
        for (int i = from; i < to; i++) {
            int v = ALPHABET.indexOf(s.charAt(i));
            if (v < 0) {
                return false;
            }
            buffer = buffer << 6 | v;
            bits += 6;
            if (bits >= 16) {
                bits -= 16;
                char unit = (char) (buffer >>> bits);
                if (printable(unit)) {
                    return false; // must have been written as itself
                }
                out.append(unit);
                buffer &= (1 << bits) - 1;
            }
        }
        // Leftover bits are padding: fewer than 6, and zero.
        return bits < 6 && buffer == 0 && wellFormedUtf16(out, start);
    }

    private static boolean wellFormedUtf16(CharSequence s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
