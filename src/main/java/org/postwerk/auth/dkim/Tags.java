package org.postwerk.auth.dkim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tag=value list shared by DKIM-Signature fields and key records (RFC 6376 §3.2). Tag names are
 * case-sensitive; a tag may appear once; values lose surrounding folding white space.
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's tag=value syntax)
public final class Tags {
    private Tags() {}

    /** The tags in order, or why the list is malformed. */
    public static Parsed<Map<String, String>> parse(String text) {
        Map<String, String> tags = new LinkedHashMap<>();
        String[] specs = text.split(";", -1);
        for (int i = 0; i < specs.length; i++) {
            String spec = trimFws(specs[i]);
            if (spec.isEmpty()) {
                if (i == specs.length - 1) {
                    break; // a trailing ";" is allowed
                }
                return new Parsed.Invalid<>("empty tag-spec");
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                return new Parsed.Invalid<>("tag without '=': " + shorten(spec));
            }
            String name = trimFws(spec.substring(0, eq));
            if (!name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                return new Parsed.Invalid<>("bad tag name: " + shorten(name));
            }
            String value = trimFws(spec.substring(eq + 1));
            if (!validValue(value)) {
                return new Parsed.Invalid<>("bad value for tag " + name);
            }
            if (tags.putIfAbsent(name, value) != null) {
                return new Parsed.Invalid<>("duplicate tag " + name);
            }
        }
        return new Parsed.Ok<>(tags);
    }

    /** A value with every space, tab, CR and LF removed: base64 values may be folded anywhere (§3.5 b=). */
    public static String compact(String value) {
        return value.replaceAll("[ \t\r\n]", "");
    }

    public static String trimFws(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isFws(s.charAt(start))) {
            start++;
        }
        while (end > start && isFws(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isFws(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** tval = 1*VALCHAR, VALCHAR = %x21-3A / %x3C-7E, separated by FWS (§3.2); we allow UTF-8 too (RFC 6376 errata). */
    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 && !isFws(c) || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    public static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
