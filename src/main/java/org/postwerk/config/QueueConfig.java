package org.postwerk.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Outbound queue. {@code retrySchedule}: waits between attempts, the last one repeating until
 * {@code maxLifetime} ends with a bounce; {@code delayWarning}: when to send a "still trying" DSN (empty: never);
 * {@code concurrency}: deliveries in flight; {@code perDestination}: of those, to one destination host;
 * {@code dsnMaxReturn}: at most this many bytes of the original message go back in a DSN.
 */
public record QueueConfig(List<Duration> retrySchedule, Duration maxLifetime, Optional<Duration> delayWarning,
                          int concurrency, int perDestination, long dsnMaxReturn) {
    public QueueConfig {
        retrySchedule = List.copyOf(retrySchedule);
        Objects.requireNonNull(maxLifetime);
        Objects.requireNonNull(delayWarning);
    }
}
