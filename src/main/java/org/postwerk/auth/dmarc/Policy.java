package org.postwerk.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/** A domain owner's requested policy (RFC 7489 §6.3 {@code p}, {@code sp}; RFC 9091 {@code np}). */
public enum Policy {
    NONE, QUARANTINE, REJECT;

    /** The tag value: {@code none}, {@code quarantine}, {@code reject}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The policy one step weaker, for messages that {@code pct} sampling leaves out (RFC 7489 §6.3 pct). */
    Policy weaker() {
        return switch (this) {
            case REJECT -> QUARANTINE;
            case QUARANTINE, NONE -> NONE;
        };
    }

    /** Parses a tag value; ABNF literals are case-insensitive (RFC 5234 §2.3). */
    static Optional<Policy> parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "none" -> Optional.of(NONE);
            case "quarantine" -> Optional.of(QUARANTINE);
            case "reject" -> Optional.of(REJECT);
            default -> Optional.empty();
        };
    }
}
