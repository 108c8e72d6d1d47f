package org.postwerk.delivery;

import java.time.Duration;

/**
 * @param concurrency    messages in delivery at once (the active set)
 * @param perDestination deliveries at once to one destination domain
 * @param poll           how often due retries and CLI requests are looked at
 */
public record SchedulerSettings(int concurrency, int perDestination, Duration poll) {
    public SchedulerSettings {
        if (concurrency < 1 || perDestination < 1) {
            throw new IllegalArgumentException("concurrency limits must be at least 1");
        }
    }
}
