package org.postwerk.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Authentication-Results header field (RFC 8601): building ours, and recognising one that claims our
 * authserv-id so the server can remove it before adding its own (RFC 8601 §5). Pure.
 */
public final class AuthResults {
    /** RFC 5322 §2.1.1: lines SHOULD stay within 78 characters. */
    static final int LINE = 78;
    private static final String NAME = "Authentication-Results";
    /** RFC 2045 tspecials plus space and controls: what a {@code value} token cannot hold. */
    private static final String TSPECIALS = "()<>@,;:\\\"/[]?= ";

    private AuthResults() {}

    /** One property of a result, e.g. {@code smtp.mailfrom=example.com} (RFC 8601 §2.2 propspec). */
    public record Property(String ptype, String name, String value) {
        String text() {
            return ptype + "." + name + "=" + pvalue(value);
        }
    }

    /**
     * One method's result (RFC 8601 §2.2 resinfo): {@code dkim=pass (comment) header.d=example.com}.
     *
     * @param method     {@code spf}, {@code dkim}, {@code dmarc}, {@code arc}, ...
     * @param result     the result keyword, e.g. {@code pass}
     * @param comment    an optional comment after the result (parentheses and backslashes are escaped)
     * @param properties the properties, in order
     */
    public record Resinfo(String method, String result, Optional<String> comment, List<Property> properties) {
        public Resinfo {
            properties = List.copyOf(properties);
        }

        public static Resinfo of(String method, String result) {
            return new Resinfo(method, result, Optional.empty(), List.of());
        }

        /** A copy with one more property. */
        public Resinfo with(String ptype, String name, String value) {
            List<Property> p = new ArrayList<>(properties);
            p.add(new Property(ptype, name, value));
            return new Resinfo(method, result, comment, p);
        }

        public Resinfo withComment(String text) {
            return new Resinfo(method, result, Optional.of(text), properties);
        }

        public String text() {
            StringBuilder sb = new StringBuilder(method).append('=').append(result);
            comment.ifPresent(c -> sb.append(" (").append(c.replaceAll("[\\\\()]", "\\\\$0")
                    .replaceAll("[\\r\\n]", " ")).append(')'));
            properties.forEach(p -> sb.append(' ').append(p.text()));
            return sb.toString();
        }
    }

    /**
     * {@code dkim=<result> header.d=<d> header.s=<s> header.b=<first 8 characters of b=>} (RFC 8601 §2.7.1;
     * header.b from RFC 6008 tells several signatures of one domain apart).
     */
    public static Resinfo dkim(String result, String d, String s, String b) {
        return Resinfo.of("dkim", result).with("header", "d", d).with("header", "s", s)
                .with("header", "b", b.length() > 8 ? b.substring(0, 8) : b);
    }

    /**
     * The complete header field, CRLF-terminated, folded before each result and, where a result is longer than
     * a line, between its words: {@code Authentication-Results: mx.example.org;\r\n\tspf=pass ...}. With no
     * results it says {@code none} (RFC 8601 §2.2 no-result).
     *
     * @param results each result's text ({@link Resinfo#text()}, or a preformatted one such as
     *                {@code SpfResult.authenticationResults()})
     */
    public static String field(String authservId, List<String> results) {
        StringBuilder sb = new StringBuilder(NAME).append(": ").append(pvalue(authservId)).append(';');
        if (results.isEmpty()) {
            return sb.append(" none\r\n").toString();
        }
        for (int i = 0; i < results.size(); i++) {
            sb.append("\r\n");
            appendFolded(sb, results.get(i) + (i + 1 < results.size() ? ";" : ""));
        }
        return sb.append("\r\n").toString();
    }

    /** Appends "\t" + text, folding between words so no line exceeds {@link #LINE} where a word allows. */
    private static void appendFolded(StringBuilder sb, String text) {
        int column = 8; // a tab counts to the next tab stop
        sb.append('\t');
        boolean first = true;
        for (String word : words(text)) {
            if (!first && column + 1 + word.length() > LINE) {
                sb.append("\r\n\t    ");
                column = 12;
            } else if (!first) {
                sb.append(' ');
                column++;
            }
            sb.append(word);
            column += word.length();
            first = false;
        }
    }

    /** Splits at spaces outside quoted strings (folding inside one would change its value). */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ' ' && !quoted) {
                if (!w.isEmpty()) {
                    words.add(w.toString());
                    w.setLength(0);
                }
            } else {
                w.append(c);
            }
        }
        if (!w.isEmpty()) {
            words.add(w.toString());
        }
        return words;
    }

    /** RFC 8601 §2.2 pvalue: a token, an address ({@code local@domain}) as is, else a quoted-string. */
    static String pvalue(String value) {
        boolean token = !value.isEmpty() && value.chars().allMatch(c -> c > 0x20 && c < 0x7f
                && TSPECIALS.indexOf(c) < 0);
        int at = value.lastIndexOf('@');
        boolean address = at >= 0 && value.indexOf('@') == at
                && (at == 0 || isToken(value.substring(0, at))) && isToken(value.substring(at + 1));
        if (token || address) {
            return value;
        }
        return "\"" + value.replaceAll("[^\\x20-\\x7e]", "?").replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean isToken(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c > 0x20 && c < 0x7f && TSPECIALS.indexOf(c) < 0);
    }

    /**
     * Whether a complete header field (name, colon, value; folded or not) is an Authentication-Results field
     * whose authserv-id is ours, compared case-insensitively after any comments and folding whitespace (RFC 8601
     * §2.5, §5). Such a field did not come from us and must be removed before we add ours. Other fields,
     * {@code ARC-Authentication-Results} included, give false.
     */
    public static boolean isOurs(String headerField, String authservId) {
        int colon = headerField.indexOf(':');
        if (colon < 0 || !headerField.substring(0, colon).strip().equalsIgnoreCase(NAME)) {
            return false;
        }
        return claimsAuthservId(headerField.substring(colon + 1), authservId);
    }

    /**
     * Whether an Authentication-Results field value starts with {@code authservId} (case-insensitively), after
     * optional CFWS; the id may be a token or a quoted-string.
     */
    public static boolean claimsAuthservId(String headerFieldValue, String authservId) {
        return leadingValue(headerFieldValue).map(id -> id.equalsIgnoreCase(authservId)).orElse(false);
    }

    /** The first {@code value} after CFWS, or empty if there is none or a comment or quote is unterminated. */
    private static Optional<String> leadingValue(String s) {
        int i = skipCfws(s, 0);
        if (i < 0 || i >= s.length()) {
            return Optional.empty();
        }
        if (s.charAt(i) == '"') {
            StringBuilder sb = new StringBuilder();
            for (i++; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    sb.append(s.charAt(++i));
                } else if (c == '"') {
                    return Optional.of(sb.toString());
                } else if (c != '\r' && c != '\n') {
                    sb.append(c);
                }
            }
            return Optional.empty();
        }
        int start = i;
        while (i < s.length() && s.charAt(i) > 0x20 && s.charAt(i) < 0x7f && TSPECIALS.indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return i > start ? Optional.of(s.substring(start, i).toLowerCase(Locale.ROOT)) : Optional.empty();
    }

    /** Skips whitespace, folding and (nested) comments; -1 for an unterminated comment. */
    private static int skipCfws(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (depth > 0 && c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return i;
            }
        }
        return depth > 0 ? -1 : i;
    }
}
