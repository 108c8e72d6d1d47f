package org.postwerk.auth.dmarc;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an unfolded address-list into tokens (RFC 5322 §3.2): atoms, quoted strings, domain literals and the
 * specials {@code < > @ , : ; .}. Whitespace and comments (nested, with quoted-pairs) are dropped: they only
 * separate tokens. Non-ASCII is atom text (RFC 6532 §3.2). Throws IllegalArgumentException on an unterminated
 * quoted string, comment or literal.
 */
final class AddressTokens {
    private AddressTokens() {}

    enum Kind { ATOM, QUOTED, LITERAL, SPECIAL }

    record Token(Kind kind, String text) {
        boolean is(char c) {
            return kind == Kind.SPECIAL && text.charAt(0) == c;
        }

        /** May appear in a display name or local part: words and the obs-phrase dot. */
        boolean isPhrasePart() {
            return kind == Kind.ATOM || kind == Kind.QUOTED || is('.');
        }
    }

    private static final String SPECIALS = "<>@,:;.";

    static List<Token> lex(String s) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                i = skipComment(s, i);
            } else if (c == '"') {
                i = quoted(s, i, '"', Kind.QUOTED, tokens);
            } else if (c == '[') {
                i = quoted(s, i, ']', Kind.LITERAL, tokens);
            } else if (SPECIALS.indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, String.valueOf(c)));
                i++;
            } else if (c < 0x21 || c == 0x7f || c == ')' || c == ']' || c == '\\') {
                throw new IllegalArgumentException("invalid character in From");
            } else {
                int start = i;
                while (i < s.length() && isAtext(s.charAt(i))) {
                    i++;
                }
                tokens.add(new Token(Kind.ATOM, s.substring(start, i)));
            }
        }
        return tokens;
    }

    /** atext (RFC 5322 §3.2.3) plus UTF-8 non-ASCII (RFC 6532). */
    private static boolean isAtext(char c) {
        return c > 0x7f || (c > 0x20 && c < 0x7f && "()<>[]:;@\\,.\"".indexOf(c) < 0);
    }

    /** Skips a comment starting at {@code i}, nested comments and quoted-pairs included; returns the next index. */
    private static int skipComment(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated comment in From");
    }

    /** Reads a quoted string or domain literal opened at {@code i}; the token holds its content, unescaped. */
    private static int quoted(String s, int i, char close, Kind kind, List<Token> tokens) {
        StringBuilder sb = new StringBuilder();
        for (i++; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                sb.append(s.charAt(++i));
            } else if (c == close) {
                tokens.add(new Token(kind, sb.toString()));
                return i + 1;
            } else {
                sb.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated " + (kind == Kind.QUOTED ? "quoted string" : "literal")
                + " in From");
    }
}
