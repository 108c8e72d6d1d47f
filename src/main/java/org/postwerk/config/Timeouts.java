package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Server-side timeouts (RFC 5321 §4.5.3.2): waiting for a command, for each block of DATA, and the whole
 * session's deadline. Under stress (see {@link Limits.Stress}) the stress timeouts replace the first two when
 * they are shorter, as Postfix's {@code smtpd_timeout} drops to 10 s.
 */
public record Timeouts(Duration command, Duration dataBlock, Duration session, Duration stressCommand,
                       Duration stressDataBlock) {
    public static final Duration STRESS_DEFAULT = Duration.ofSeconds(10);

    public Timeouts {
        Objects.requireNonNull(command);
        Objects.requireNonNull(dataBlock);
        Objects.requireNonNull(session);
        Objects.requireNonNull(stressCommand);
        Objects.requireNonNull(stressDataBlock);
    }

    /** With the default stress timeouts. */
    public Timeouts(Duration command, Duration dataBlock, Duration session) {
        this(command, dataBlock, session, STRESS_DEFAULT, STRESS_DEFAULT);
    }
}
