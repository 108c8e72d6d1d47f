package org.postwerk.auth.dmarc;

/** Identifier alignment mode (RFC 7489 §3.1, tags {@code adkim} and {@code aspf}). */
public enum Alignment {
    /** The domains must share the organisational domain (the default). */
    RELAXED,
    /** The domains must be identical. */
    STRICT
}
