package org.postwerk.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When to try again: the n-th retry waits {@code intervals[n-1]}, the last interval repeats; after
 * {@code maxLifetime} since arrival a recipient still deferred fails (RFC 5321 §4.5.4.1: give up after 4-5 days).
 *
 * @param delayWarning after this long in the queue a delay DSN goes to recipients that asked for it; empty = never
 */
public record RetrySchedule(List<Duration> intervals, Duration maxLifetime, Optional<Duration> delayWarning) {
    public RetrySchedule {
        intervals = List.copyOf(intervals);
        if (intervals.isEmpty()) {
            throw new IllegalArgumentException("the retry schedule needs at least one interval");
        }
    }

    public static RetrySchedule defaults() {
        return new RetrySchedule(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
                Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4)), Duration.ofDays(5),
                Optional.of(Duration.ofHours(4)));
    }

    /** The next attempt after the given number of attempts so far (1 = first failure). */
    public Instant next(Instant now, int attempts) {
        int i = Math.min(Math.max(attempts, 1), intervals.size()) - 1;
        return now.plus(intervals.get(i));
    }

    public boolean expired(Instant received, Instant now) {
        return !now.isBefore(received.plus(maxLifetime));
    }
}
