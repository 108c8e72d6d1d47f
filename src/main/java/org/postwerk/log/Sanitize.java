package org.postwerk.log;

/** Makes client-supplied text safe to put into a header comment or a log line. */
public final class Sanitize {
    private Sanitize() {}

    /**
     * A value for a {@code key=value} log line: controls (C0, C1, line and paragraph separators, bidi
     * overrides), backslash and quote escaped as backslash-u and four hex digits, and quoted when it holds a space or '=' —
     * so a client can neither start a fake log line nor fake a field. At most 256 characters.
     */
    public static String log(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 256) + 2);
        boolean quote = false;
        for (int i = 0; i < s.length() && sb.length() < 256; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\\' || c == '"'
                    || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                quote |= c == ' ' || c == '=';
                sb.append(c);
            }
        }
        return quote ? "\"" + sb + "\"" : sb.toString();
    }

    /** Printable ASCII only (others become '?'), no parentheses or quotes, at most {@code max} characters. */
    public static String text(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && sb.length() < max; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x21 && c < 0x7f && c != '(' && c != ')' && c != '"' && c != '\\' ? c : '?');
        }
        return sb.toString();
    }
}
