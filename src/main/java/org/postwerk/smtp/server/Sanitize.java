package org.postwerk.smtp.server;

/** Makes client-supplied text safe to put into a header comment or a log line. */
final class Sanitize {
    private Sanitize() {}

    /** Printable ASCII only (others become '?'), no parentheses or quotes, at most {@code max} characters. */
    static String text(String s, int max) {
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
