package org.postwerk.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an address field into RFC 5322 §3.2 lexical tokens: atoms (any run of non-special, non-space
 * characters, so 8-bit and obsolete characters pass), quoted strings and comments (escapes removed, comments
 * nested), domain literals, and the specials. Unterminated quotes and comments end at the end of the field.
 */
final class AddressTokens {
    enum Kind { ATOM, QUOTED, COMMENT, LITERAL, SPECIAL }

    /** @param spaceBefore 1 when white space preceded the token (it matters between words and dots) */
    record Token(Kind kind, String text, int spaceBefore) {
    }

    private static final String SPECIALS = "<>@,;:.";
    /** Tokens kept from one field: the value is bounded already; this bounds the work on pathological input. */
    private static final int MAX_TOKENS = 100_000;

    private final String s;
    private int i;

    AddressTokens(String s) {
        this.s = s;
    }

    List<Token> tokens() {
        List<Token> out = new ArrayList<>();
        while (out.size() < MAX_TOKENS) {
            int space = 0;
            while (i < s.length() && isSpace(s.charAt(i))) {
                i++;
                space = 1;
            }
            if (i >= s.length()) {
                break;
            }
            char c = s.charAt(i);
            if (c == '"') {
                out.add(new Token(Kind.QUOTED, quoted(), space));
            } else if (c == '(') {
                out.add(new Token(Kind.COMMENT, comment().strip(), space));
            } else if (c == '[') {
                out.add(new Token(Kind.LITERAL, literal(), space));
            } else if (SPECIALS.indexOf(c) >= 0) {
                i++;
                out.add(new Token(Kind.SPECIAL, String.valueOf(c), space));
            } else if (c == ')' || c == ']' || c == '\\') {
                i++; // stray closer: skip
            } else {
                int start = i;
                while (i < s.length() && !isSpace(s.charAt(i)) && "\"()[]\\".indexOf(s.charAt(i)) < 0
                        && SPECIALS.indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                out.add(new Token(Kind.ATOM, s.substring(start, i), space));
            }
        }
        return out;
    }

    private String quoted() {
        StringBuilder b = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                break;
            }
            if (c == '\\' && i < s.length()) {
                c = s.charAt(i++);
            }
            if (c != '\r' && c != '\n') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private String comment() {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '(') {
                if (depth++ > 0) {
                    b.append(c);
                }
            } else if (c == ')') {
                if (--depth == 0) {
                    break;
                }
                b.append(c);
            } else {
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    private String literal() {
        int start = i;
        while (i < s.length() && s.charAt(i) != ']') {
            i++;
        }
        if (i < s.length()) {
            i++;
        }
        return s.substring(start, i);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }
}
