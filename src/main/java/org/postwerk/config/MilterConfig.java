package org.postwerk.config;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One {@code [[milter]]}: a content filter spoken to with the milter protocol. {@code address} is an
 * {@link java.net.InetSocketAddress} (unresolved when given by name) or a {@link java.net.UnixDomainSocketAddress}.
 * {@code defaultAction} is what happens to the mail when the milter cannot be reached, times out or breaks the
 * protocol.
 */
public record MilterConfig(String name, SocketAddress address, DefaultAction defaultAction, Duration connectTimeout,
                           Duration commandTimeout, Duration messageTimeout) {
    public enum DefaultAction { TEMPFAIL, ACCEPT }

    public MilterConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(address);
        Objects.requireNonNull(defaultAction);
    }

    /** The {@code [[milter]]} tables, and {@code [milter_policy]}: which header fields mean "spam". */
    public record Settings(List<MilterConfig> milters, List<String> junkHeaders) {
        /** rspamd adds {@code X-Spam: Yes}, SpamAssassin {@code X-Spam-Flag: YES}. */
        public static final Settings DEFAULTS = new Settings(List.of(), List.of("X-Spam", "X-Spam-Flag"));

        public Settings {
            milters = List.copyOf(milters);
            junkHeaders = List.copyOf(junkHeaders);
        }

        public MilterConfig named(String name) {
            return milters.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
        }
    }
}
