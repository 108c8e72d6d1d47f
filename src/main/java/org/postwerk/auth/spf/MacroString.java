package org.postwerk.auth.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed SPF macro-string (RFC 7208 §7.1): literal text and {@code %{...}} macros, expanded against one check.
 * Parsing is pure and rejects what the ABNF rejects; expansion never fails.
 */
public record MacroString(List<Part> parts) {
    public MacroString {
        parts = List.copyOf(parts);
    }

    /** Literal text or one macro. */
    public sealed interface Part {}

    public record Literal(String text) implements Part {}

    /**
     * {@code %{letter digits r delimiters}}: the value of {@code letter}, split on {@code delimiters}, maybe
     * reversed, cut to the rightmost {@code keep} parts (0 = all), URL-escaped when the letter is upper case.
     */
    public record Macro(char letter, boolean urlEscape, int keep, boolean reverse, String delimiters) implements Part {}

    private static final String LETTERS = "slodiphv";
    /** RFC 7208 §7.3: c, r and t are allowed only in explanation strings. */
    private static final String EXPLANATION_LETTERS = LETTERS + "crt";
    private static final String DELIMITERS = ".-+,/_=";

    /** A macro-string as in a domain-spec or modifier value: printable ASCII without spaces. */
    static Optional<MacroString> parse(String text) {
        return parse(text, false);
    }

    /** An explain-string (RFC 7208 §6.2): macro-strings and spaces, with the c, r, t letters allowed. */
    static Optional<MacroString> parseExplanation(String text) {
        return parse(text, true);
    }

    private static Optional<MacroString> parse(String text, boolean explanation) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '%') {
                if (c < 0x21 && !(explanation && c == ' ') || c > 0x7e) {
                    return Optional.empty();
                }
                literal.append(c);
                i++;
                continue;
            }
            char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            switch (next) {
                case '%' -> literal.append('%');
                case '_' -> literal.append(' ');
                case '-' -> literal.append("%20");
                case '{' -> {
                    int close = text.indexOf('}', i);
                    Optional<Macro> macro = close < 0 ? Optional.empty()
                            : macro(text.substring(i + 2, close), explanation ? EXPLANATION_LETTERS : LETTERS);
                    if (macro.isEmpty()) {
                        return Optional.empty();
                    }
                    flush(literal, parts);
                    parts.add(macro.get());
                    i = close + 1;
                    continue;
                }
                default -> {
                    return Optional.empty(); // RFC 7208 §7.1: a lone '%' is a syntax error
                }
            }
            i += 2;
        }
        flush(literal, parts);
        return Optional.of(new MacroString(parts));
    }

    private static void flush(StringBuilder literal, List<Part> parts) {
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
        }
    }

    /** The inside of {@code %{...}}: macro-letter transformers *delimiter. */
    private static Optional<Macro> macro(String body, String letters) {
        if (body.isEmpty() || letters.indexOf(Character.toLowerCase(body.charAt(0))) < 0) {
            return Optional.empty();
        }
        char letter = body.charAt(0);
        int i = 1;
        while (i < body.length() && Character.isDigit(body.charAt(i))) {
            i++;
        }
        int keep = 0;
        if (i > 1) {
            String digits = body.substring(1, i);
            // RFC 7208 §7.3: the DIGIT transformer MUST be nonzero.
            keep = digits.length() > 3 ? Integer.MAX_VALUE : Integer.parseInt(digits);
            if (keep == 0) {
                return Optional.empty();
            }
        }
        boolean reverse = i < body.length() && Character.toLowerCase(body.charAt(i)) == 'r';
        if (reverse) {
            i++;
        }
        String delimiters = body.substring(i);
        if (!delimiters.chars().allMatch(c -> DELIMITERS.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(new Macro(Character.toLowerCase(letter), Character.isUpperCase(letter), keep, reverse,
                delimiters.isEmpty() ? "." : delimiters));
    }

    /** Whether the string ends in a macro (then a domain-spec needs no literal top label, RFC 7208 §7.1). */
    boolean endsWithMacro() {
        return !parts.isEmpty() && parts.getLast() instanceof Macro;
    }

    /** The literal text after the last macro, or all of it. */
    String literalTail() {
        return parts.isEmpty() || !(parts.getLast() instanceof Literal l) ? "" : l.text();
    }

    /** Expands every macro with {@code values} (macro letter, lower case, to its raw value). */
    String expand(MacroValues values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part) {
                case Literal l -> out.append(l.text());
                case Macro m -> out.append(expand(m, values.value(m.letter())));
            }
        }
        return out.toString();
    }

    /** The raw value of each macro letter for one check; lazily computed by the caller where costly (%{p}). */
    interface MacroValues {
        String value(char letter);
    }

    private static String expand(Macro m, String value) {
        List<String> labels = new ArrayList<>(List.of(value.split(splitPattern(m.delimiters()), -1)));
        if (m.reverse()) {
            Collections.reverse(labels);
        }
        if (m.keep() > 0 && m.keep() < labels.size()) {
            labels = labels.subList(labels.size() - m.keep(), labels.size());
        }
        String joined = String.join(".", labels);
        return m.urlEscape() ? urlEscape(joined) : joined;
    }

    private static String splitPattern(String delimiters) {
        StringBuilder p = new StringBuilder("[");
        delimiters.chars().forEach(c -> p.append('\\').append((char) c));
        return p.append(']').toString();
    }

    /** RFC 7208 §7.3: upper-case macros are URL-escaped (RFC 3986 §2.3 unreserved characters stay). */
    private static String urlEscape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }
}
