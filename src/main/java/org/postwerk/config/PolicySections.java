package org.postwerk.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Reads the sections about defending the SMTP listeners and what they pass on: {@code [rate_limits]}, {@code [srs]}. */
final class PolicySections {
    private PolicySections() {}

    static RateLimitConfig rateLimits(Section s, RateLimitConfig d) {
        RateLimitConfig.Harvest h = d.harvest();
        int delayAfter = s.integer("harvest_delay_after", h.delayAfter(), 0, 10_000);
        int disconnectAfter = s.integer("harvest_disconnect_after", h.disconnectAfter(), 1, 100_000);
        if (disconnectAfter <= delayAfter) {
            s.problem("harvest_disconnect_after", "must be more than harvest_delay_after (" + delayAfter + "), got "
                    + disconnectAfter);
        }
        Duration delay = s.duration("harvest_delay", h.delay(), Duration.ZERO, Duration.ofMinutes(1));
        Duration maxDelay = s.duration("harvest_max_delay", h.maxDelay(), Duration.ZERO, Duration.ofMinutes(5));
        if (maxDelay.compareTo(delay) < 0) {
            s.problem("harvest_max_delay", "must not be less than harvest_delay (" + Durations.format(delay) + ")");
        }
        return new RateLimitConfig(rate(s, "connections_per_ip", d.connectionsPerIp()),
                rate(s, "connections_per_network", d.connectionsPerNetwork()),
                rate(s, "messages_per_ip", d.messagesPerIp()), rate(s, "recipients_per_ip", d.recipientsPerIp()),
                rate(s, "messages_per_network", d.messagesPerNetwork()),
                rate(s, "recipients_per_network", d.recipientsPerNetwork()),
                rate(s, "messages_per_user", d.messagesPerUser()), rate(s, "recipients_per_user", d.recipientsPerUser()),
                rate(s, "messages_per_sender_domain", d.messagesPerSenderDomain()),
                rate(s, "recipients_per_sender_domain", d.recipientsPerSenderDomain()),
                s.list("exempt_users", PolicySections::user).orElse(d.exemptUsers()),
                s.bool("user_limits_in_relay_networks", d.userLimitsInRelayNetworks()),
                new RateLimitConfig.Harvest(delayAfter, delay, maxDelay, disconnectAfter,
                        s.duration("harvest_window", h.window(), Duration.ofMinutes(1), Duration.ofDays(7))));
    }

    static SrsConfig srs(Section s, java.nio.file.Path baseDir, SrsConfig d) {
        // RFC 5321 §4.5.4.1 has a message retried for 4-5 days, and its bounce takes time too.
        Duration maxAge = s.duration("max_age", d.maxAge(), Duration.ofDays(5), Duration.ofDays(1000));
        return new SrsConfig(s.bool("enabled", d.enabled()),
                s.parsed("domain", v -> Optional.of(ConfigLoader.domain(v))).orElse(d.domain()),
                s.parsed("secret_file", p -> Optional.of(baseDir.resolve(ConfigLoader.nonEmpty(p)).normalize()))
                        .orElse(d.secretFile()),
                Duration.ofDays(maxAge.toDays()),
                s.list("exclude_domains", ConfigLoader::domain).orElse(d.excludeDomains()));
    }

    /** {@code "COUNT/WINDOW"}, or {@code "off"}. */
    private static Optional<RateLimitConfig.Rate> rate(Section s, String key, Optional<RateLimitConfig.Rate> d) {
        return s.parsed(key, v -> v.equalsIgnoreCase("off") ? Optional.<RateLimitConfig.Rate>empty()
                : Optional.of(RateLimitConfig.Rate.parse(v))).orElse(d);
    }

    /** A login name as the users log in (compared without regard to case). */
    private static String user(String name) {
        return ConfigLoader.nonEmpty(name).strip().toLowerCase(Locale.ROOT);
    }
}
