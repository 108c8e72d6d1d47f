package org.postwerk.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code "30s"}, {@code "5m"}, {@code "1h30m"}, {@code "5d"},
 * {@code "250ms"}, or ISO-8601 ({@code "PT5M"}, {@code "P5D"}).
 */
public final class Durations {
    private static final Pattern PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");

    private Durations() {}

    /** @throws IllegalArgumentException with a message fit for the operator */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t);
            } catch (DateTimeParseException e) {
                throw invalid(text);
            }
        }
        Matcher m = PART.matcher(t);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            end = m.end();
        }
        if (end == 0 || end != t.length()) {
            throw invalid(text);
        }
        return total;
    }

    /** The shortest form {@link #parse} reads back: {@code "5m"}, {@code "1h30m"}, {@code "250ms"}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long millis = d.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis >= sizes[i]) {
                sb.append(millis / sizes[i]).append(units[i]);
                millis %= sizes[i];
            }
        }
        return sb.toString();
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("not a duration: \"" + text + "\" (write e.g. \"30s\", \"5m\", \"2h\", \"5d\")");
    }
}
