package org.postwerk.sts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A parsed MTA-STS policy (RFC 8461 §3.2): the mode, the allowed MX patterns and how long it may be cached.
 *
 * @param mx lower case, without trailing dots; {@code *.example.com} allows exactly one more label (§4.1)
 */
public record StsPolicy(Mode mode, List<String> mx, Duration maxAge) {
    public enum Mode { ENFORCE, TESTING, NONE;

        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** RFC 8461 §3.2: max_age is at most 31557600 seconds (about a year). */
    public static final long MAX_AGE_LIMIT = 31_557_600L;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");

    public StsPolicy {
        mx = List.copyOf(mx);
    }

    /** A parsed policy, or why the text is not one. */
    public sealed interface Parsed {
        record Valid(StsPolicy policy) implements Parsed {}

        record Invalid(String reason) implements Parsed {}
    }

    /**
     * Parses a policy body: lines ending in LF or CRLF, {@code key: value} with optional spaces or tabs after the
     * colon (and at the end of the line); version, mode and max_age exactly once, mx one or more times unless
     * the mode is {@code none}. Unknown well-formed fields are ignored (§3.2: future extensions).
     */
    public static Parsed parse(String text) {
        String version = null;
        Mode mode = null;
        Long maxAge = null;
        List<String> mx = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].replaceAll("[ \\t]+$", "");
            if (line.isEmpty() && i == lines.length - 1) {
                break; // the terminator of the last line
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !FIELD_NAME.matcher(line.substring(0, colon)).matches()) {
                return new Parsed.Invalid("line " + (i + 1) + " is not \"key: value\"");
            }
            String key = line.substring(0, colon);
            String value = line.substring(colon + 1).replaceAll("^[ \\t]+", "");
            switch (key) {
                case "version" -> {
                    if (version != null || !value.equals("STSv1")) {
                        return new Parsed.Invalid(version != null ? "version twice" : "version is not STSv1");
                    }
                    version = value;
                }
                case "mode" -> {
                    if (mode != null || modeOf(value) == null) {
                        return new Parsed.Invalid(mode != null ? "mode twice" : "unknown mode \"" + value + "\"");
                    }
                    mode = modeOf(value);
                }
                case "max_age" -> {
                    if (maxAge != null || maxAgeOf(value) < 0) {
                        return new Parsed.Invalid(maxAge != null ? "max_age twice"
                                : "max_age must be 1 to 10 digits, at most " + MAX_AGE_LIMIT);
                    }
                    maxAge = maxAgeOf(value);
                }
                case "mx" -> {
                    if (mxPattern(value) == null) {
                        return new Parsed.Invalid("bad mx pattern \"" + value + "\"");
                    }
                    mx.add(mxPattern(value));
                }
                default -> { } // RFC 8461 §3.2: fields a later version may add
            }
        }
        if (version == null || mode == null || maxAge == null) {
            return new Parsed.Invalid("version, mode and max_age are required");
        }
        if (mx.isEmpty() && mode != Mode.NONE) {
            return new Parsed.Invalid("mode " + mode.text() + " needs at least one mx");
        }
        return new Parsed.Valid(new StsPolicy(mode, mx, Duration.ofSeconds(maxAge)));
    }

    private static Mode modeOf(String value) {
        return switch (value) {
            case "enforce" -> Mode.ENFORCE;
            case "testing" -> Mode.TESTING;
            case "none" -> Mode.NONE;
            default -> null;
        };
    }

    /** {@code 1*10DIGIT}, at most {@link #MAX_AGE_LIMIT}; -1 when not. */
    private static long maxAgeOf(String value) {
        if (!value.matches("[0-9]{1,10}")) {
            return -1;
        }
        long v = Long.parseLong(value);
        return v <= MAX_AGE_LIMIT ? v : -1;
    }

    /** {@code ["*."] Domain}, lower-cased without a trailing dot; null when malformed. */
    static String mxPattern(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        v = v.endsWith(".") ? v.substring(0, v.length() - 1) : v;
        String host = v.startsWith("*.") ? v.substring(2) : v;
        if (host.isEmpty() || host.length() > 253) {
            return null;
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return null;
            }
        }
        return v;
    }

    /**
     * RFC 8461 §4.1: the MX host name matches a pattern literally, or a {@code *.} pattern with exactly one
     * label in place of the star ({@code *.example.com} allows {@code mx1.example.com}, not {@code example.com}
     * nor {@code a.b.example.com}). Case-insensitive; a trailing dot is ignored.
     */
    public boolean matches(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        h = h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        for (String p : mx) {
            if (p.startsWith("*.")) {
                int dot = h.indexOf('.');
                if (dot > 0 && h.substring(dot + 1).equals(p.substring(2))) {
                    return true;
                }
            } else if (p.equals(h)) {
                return true;
            }
        }
        return false;
    }

    /** This policy as a TLS report names it (RFC 8460 §4.4): its lines, and its MX patterns. */
    public org.postwerk.tls.TlsResults.Policy reported() {
        return new org.postwerk.tls.TlsResults.Policy(org.postwerk.tls.TlsResults.Policy.Type.STS,
                List.of(text().split("\r\n")), mx);
    }

    /** The policy file text for this policy, lines in the order of RFC 8461 §3.2's example, CRLF-terminated. */
    public String text() {
        StringBuilder b = new StringBuilder("version: STSv1\r\nmode: ").append(mode.text()).append("\r\n");
        mx.forEach(m -> b.append("mx: ").append(m).append("\r\n"));
        return b.append("max_age: ").append(maxAge.toSeconds()).append("\r\n").toString();
    }
}
