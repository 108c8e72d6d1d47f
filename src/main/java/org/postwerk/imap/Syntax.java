package org.postwerk.imap;

/** Character classes of RFC 9051 §9 (formal syntax), shared by the reader, the parser and mailbox names. */
final class Syntax {
    private Syntax() {}

    /** CTL: %x00-1F / %x7F. */
    static boolean isControl(int c) {
        return c < 0x20 || c == 0x7f;
    }

    /**
     * ATOM-CHAR: any CHAR (7-bit) except atom-specials, which are "(" ")" "{" SP CTL list-wildcards ("%" "*")
     * quoted-specials (DQUOTE "\") and resp-specials ("]").
     */
    static boolean isAtomChar(int c) {
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', '%', '*', '"', '\\', ']' -> false;
            default -> true;
        };
    }

    /** ASTRING-CHAR = ATOM-CHAR / resp-specials. */
    static boolean isAstringChar(int c) {
        return isAtomChar(c) || c == ']';
    }

    /** tag = 1*&lt;any ASTRING-CHAR except "+"&gt;. */
    static boolean isTagChar(int c) {
        return c != '+' && isAstringChar(c);
    }

    /** list-char = ATOM-CHAR / list-wildcards / resp-specials. */
    static boolean isListChar(int c) {
        return isAstringChar(c) || c == '%' || c == '*';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII upper case, independent of the default locale (RFC 9051 §9 note 1: case-insensitive tokens). */
    static String upper(String s) {
        return s.toUpperCase(java.util.Locale.ROOT);
    }
}
