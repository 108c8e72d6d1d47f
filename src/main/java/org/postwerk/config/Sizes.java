package org.postwerk.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes: a plain integer, or a number with a unit — decimal {@code kB MB GB} (powers of 1000) or binary
 * {@code KiB MiB GiB} (powers of 1024), e.g. {@code "50MiB"}, {@code "10MB"}, {@code "512 KiB"}.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,15}) ?([kmgt]i?b|b)?");

    private Sizes() {}

    /** @throws IllegalArgumentException with a message fit for the operator */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not a size: \"" + text + "\" (write bytes, or e.g. \"512KiB\", \"10MB\", \"50MiB\")");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2);
        long factor = switch (unit) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "tb" -> 1_000_000_000_000L;
            case "kib" -> 1L << 10;
            case "mib" -> 1L << 20;
            case "gib" -> 1L << 30;
            case "tib" -> 1L << 40;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(n, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: \"" + text + "\"", e);
        }
    }

    /** {@code 52428800} as {@code "50MiB"}; sizes that are no whole binary unit stay in bytes. */
    public static String format(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        for (int i = 0; i < units.length; i++) {
            long factor = 1L << (10 * (4 - i));
            if (bytes >= factor && bytes % factor == 0) {
                return bytes / factor + units[i];
            }
        }
        return Long.toString(bytes);
    }
}
