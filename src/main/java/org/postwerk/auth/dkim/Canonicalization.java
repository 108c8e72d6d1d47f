package org.postwerk.auth.dkim;

import java.util.Locale;
import java.util.Optional;

/** The two canonicalisation algorithms (RFC 6376 §3.4), for header fields and for the body. */
public enum Canonicalization {
    SIMPLE, RELAXED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Canonicalization> of(String tag) {
        return switch (tag.toLowerCase(Locale.ROOT)) {
            case "simple" -> Optional.of(SIMPLE);
            case "relaxed" -> Optional.of(RELAXED);
            default -> Optional.empty();
        };
    }

    /**
     * One raw header field (name, colon, value, folding, final CRLF as received; bytes as ISO-8859-1 chars)
     * canonicalised: simple keeps it as is (§3.4.1); relaxed lower-cases the name, unfolds, reduces WSP runs to
     * one space and drops WSP at the end of the value and around the colon (§3.4.2). The result ends in CRLF.
     */
    public String header(String raw) {
        if (this == SIMPLE) {
            return raw.endsWith("\r\n") ? raw : raw + "\r\n";
        }
        int colon = raw.indexOf(':');
        String name = raw.substring(0, colon).replaceAll("[ \t]+$", "").toLowerCase(Locale.ROOT);
        String value = raw.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ").replaceAll("^ | $", "");
        return name + ":" + value + "\r\n";
    }
}
