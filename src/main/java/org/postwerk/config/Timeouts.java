package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Server-side timeouts (RFC 5321 §4.5.3.2): waiting for a command, for each block of DATA, and the whole
 * session's deadline.
 */
public record Timeouts(Duration command, Duration dataBlock, Duration session) {
    public Timeouts {
        Objects.requireNonNull(command);
        Objects.requireNonNull(dataBlock);
        Objects.requireNonNull(session);
    }
}
