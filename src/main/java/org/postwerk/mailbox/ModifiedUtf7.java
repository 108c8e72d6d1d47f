package org.postwerk.mailbox;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Modified UTF-7 (RFC 3501 §5.1.3), the encoding of non-ASCII folder names for IMAP4rev1 clients and in
 * Dovecot's Maildir++ directory names: printable ASCII stands for itself ({@code &} as {@code &-}), anything
 * else is UTF-16 in modified base64 ({@code ,} for {@code /}, no padding) between {@code &} and {@code -}.
 * Decoding is strict: a form an encoder would not produce is refused, so one name has one spelling.
 */
public final class ModifiedUtf7 {
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private ModifiedUtf7() {}

    public static String encode(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && (text.charAt(i) < 0x20 || text.charAt(i) > 0x7e)) {
                i++;
            }
            byte[] utf16 = text.substring(start, i).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
        }
        return out.toString();
    }

    /** The text, or null when {@code encoded} is not valid (or not canonical) modified UTF-7. */
    public static String decode(String encoded) {
        StringBuilder out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                return null;
            }
            if (end == i + 1) {
                out.append('&');
                i = end + 1;
                continue;
            }
            String b64 = encoded.substring(i + 1, end).replace(',', '/');
            byte[] utf16;
            try {
                utf16 = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (utf16.length == 0 || utf16.length % 2 != 0) {
                return null;
            }
            String part = new String(utf16, StandardCharsets.UTF_16BE);
            // Canonical: the run holds no printable ASCII and re-encodes to exactly these characters.
            if (!encode(part).equals(encoded.substring(i, end + 1)) || !isWellFormedUtf16(part)) {
                return null;
            }
            out.append(part);
            i = end + 1;
        }
        return out.toString();
    }

    private static boolean isWellFormedUtf16(String s) {
        for (int i = 0; i < s.length(); i++) {
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
