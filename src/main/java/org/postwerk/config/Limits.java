package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-message and per-connection limits. {@code commandLine} and {@code textLine} are in octets including CRLF
 * (RFC 5321 §4.5.3.1.4, §4.5.3.1.6); {@code errors} is how many protocol errors end a session.
 * {@code connectionsPerIp} counts an IPv4 client by its address and an IPv6 client by its /84, as Postfix's
 * anvil does ({@code smtpd_client_ipv6_prefix_length}); {@code perNetwork} bounds a whole network on top.
 */
public record Limits(long messageSize, int recipients, int commandLine, int textLine, int connections,
                     int connectionsPerIp, int errors, int authFailures, Duration authFailureDelay,
                     PerNetwork perNetwork, Stress stress) {
    public Limits {
        Objects.requireNonNull(authFailureDelay);
        Objects.requireNonNull(perNetwork);
        Objects.requireNonNull(stress);
    }

    /** With the default network limit and stress mode. */
    public Limits(long messageSize, int recipients, int commandLine, int textLine, int connections,
                  int connectionsPerIp, int errors, int authFailures, Duration authFailureDelay) {
        this(messageSize, recipients, commandLine, textLine, connections, connectionsPerIp, errors, authFailures,
                authFailureDelay, PerNetwork.DEFAULT, Stress.DEFAULT);
    }

    /**
     * At most {@code connections} sessions from one IPv4 network of {@code ipv4Prefix} bits or IPv6 network of
     * {@code ipv6Prefix} bits: many addresses in one block are usually one owner.
     */
    public record PerNetwork(int connections, int ipv4Prefix, int ipv6Prefix) {
        public static final PerNetwork DEFAULT = new PerNetwork(50, 24, 64);
    }

    /**
     * Stress mode, as Postfix's: when more than {@code percent} of {@code connections} are open, the shorter
     * stress timeouts apply, and a network that already holds {@code connectionsPerNetwork} sessions is refused,
     * so that the last slots go to clients that hold none rather than to those that filled the rest.
     * 100 turns it off.
     */
    public record Stress(int percent, int connectionsPerNetwork) {
        public static final Stress DEFAULT = new Stress(80, 1);
    }
}
