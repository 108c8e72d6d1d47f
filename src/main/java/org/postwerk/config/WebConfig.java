package org.postwerk.config;

import java.time.Duration;

/**
 * The public web listeners ({@code [web]}): the largest request body read ({@code requestSize}; an autodiscover
 * request is well under 1 KiB), how long one exchange may take from the first byte of the request to the last
 * of the answer ({@code timeout}), and how many connections each listener holds at once.
 */
public record WebConfig(long requestSize, Duration timeout, int connections) {
    public static final WebConfig DEFAULTS = new WebConfig(16 * 1024, Duration.ofSeconds(30), 200);

    public WebConfig {
        java.util.Objects.requireNonNull(timeout);
    }
}
