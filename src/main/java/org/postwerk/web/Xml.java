package org.postwerk.web;

/** Escaping for XML text and attribute values (XML 1.0 §2.4, §3.3.3). */
final class Xml {
    private Xml() {}

    /**
     * The text with {@code & < > " '} escaped; characters XML 1.0 does not allow (C0 controls but TAB, CR, LF;
     * U+FFFE, U+FFFF; lone surrogates) are dropped, so no input can break the document.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i));
                    } else if ((c >= 0x20 && c < 0xD800) || (c > 0xDFFF && c < 0xFFFE) || c == '\t' || c == '\n'
                            || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
