package org.postwerk.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [rate_limits]}: events per sliding window on the SMTP listeners. The client limits (connections,
 * messages and recipients per client address and per network) spare {@code relay_networks}, and those of
 * messages and recipients spare logged-in users, who are counted as users; the user limits
 * count the mail of each logged-in user (a stolen password must not send 100,000 messages before anyone
 * notices) and the sender-domain limits the mail our own clients send (logged in or from {@code
 * relay_networks}: a stranger's sender domain proves nothing and must not let him use up another's budget).
 * An empty limit is off.
 */
public record RateLimitConfig(Optional<Rate> connectionsPerIp, Optional<Rate> connectionsPerNetwork,
                              Optional<Rate> messagesPerIp, Optional<Rate> recipientsPerIp,
                              Optional<Rate> messagesPerNetwork, Optional<Rate> recipientsPerNetwork,
                              Optional<Rate> messagesPerUser, Optional<Rate> recipientsPerUser,
                              Optional<Rate> messagesPerSenderDomain, Optional<Rate> recipientsPerSenderDomain,
                              List<String> exemptUsers, boolean userLimitsInRelayNetworks, Harvest harvest) {
    public RateLimitConfig {
        exemptUsers = List.copyOf(exemptUsers);
        Objects.requireNonNull(harvest);
    }

    /** At most {@code count} events in any {@code window}. */
    public record Rate(long count, Duration window) {
        public Rate {
            if (count < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a rate needs a positive count and window");
            }
        }

        /** {@code "COUNT/WINDOW"}, e.g. {@code "500/1h"}. */
        public static Rate parse(String text) {
            int slash = text.indexOf('/');
            if (slash <= 0) {
                throw new IllegalArgumentException("must be \"COUNT/WINDOW\" such as \"500/1h\", or \"off\", got \""
                        + text + "\"");
            }
            long count;
            try {
                count = Long.parseLong(text.substring(0, slash).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("the count before \"/\" must be a number, got \"" + text + "\"");
            }
            Duration window = Durations.parse(text.substring(slash + 1).strip());
            if (count < 1 || count > 100_000_000 || window.compareTo(Duration.ofSeconds(1)) < 0
                    || window.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("must count 1 to 100000000 events in 1s to 7d, got \"" + text + "\"");
            }
            return new Rate(count, window);
        }

        @Override
        public String toString() {
            return count + "/" + Durations.format(window);
        }
    }

    /**
     * Directory harvest (many guesses at recipients): once a client has had {@code delayAfter} unknown
     * recipients within {@code window}, each further {@code 550 5.1.1} waits {@code delay} times the excess,
     * at most {@code maxDelay}; after {@code disconnectAfter} the session ends with {@code 421 4.7.0} (as
     * Postfix's smtpd_error_sleep_time, soft_error_limit and hard_error_limit, but across the client's sessions).
     */
    public record Harvest(int delayAfter, Duration delay, Duration maxDelay, int disconnectAfter, Duration window) {
        public static final Harvest DEFAULT = new Harvest(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 20,
                Duration.ofHours(1));
    }

    private static Optional<Rate> rate(long count, Duration window) {
        return Optional.of(new Rate(count, window));
    }

    /**
     * Defaults for a small business: far above what one legitimate sender sends to it, and 500 messages or 2,000
     * recipients an hour for each of its users (Gmail allows a free account 500 a day).
     */
    public static final RateLimitConfig DEFAULTS = new RateLimitConfig(
            // Inbound clients: generous, since one address of a large provider may bring a busy domain hundreds of
            // messages an hour; the limits are there to stop a flood, not to shape ordinary traffic.
            rate(120, Duration.ofMinutes(1)), rate(360, Duration.ofMinutes(1)),
            rate(2000, Duration.ofHours(1)), rate(10_000, Duration.ofHours(1)),
            rate(6000, Duration.ofHours(1)), rate(30_000, Duration.ofHours(1)),
            rate(500, Duration.ofHours(1)), rate(2000, Duration.ofHours(1)),
            rate(2000, Duration.ofHours(1)), rate(10_000, Duration.ofHours(1)),
            List.of(), true, Harvest.DEFAULT);
}
