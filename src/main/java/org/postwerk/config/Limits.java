package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-message and per-connection limits. {@code commandLine} and {@code textLine} are in octets including CRLF
 * (RFC 5321 §4.5.3.1.4, §4.5.3.1.6); {@code errors} is how many protocol errors end a session.
 */
public record Limits(long messageSize, int recipients, int commandLine, int textLine, int connections,
                     int connectionsPerIp, int errors, int authFailures, Duration authFailureDelay) {
    public Limits {
        Objects.requireNonNull(authFailureDelay);
    }
}
