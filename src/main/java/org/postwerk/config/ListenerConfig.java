package org.postwerk.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One listening socket. {@code proxyProtocol}: expect a PROXY protocol v1/v2 header from a load balancer,
 * accepted only from a peer in {@code proxyTrusted} — anyone else could claim any address (and relay).
 * {@code milters}: the names of the {@code [[milter]]}s its mail passes through, in order (SMTP roles only).
 */
public record ListenerConfig(Role role, InetSocketAddress address, boolean proxyProtocol, List<Network> proxyTrusted,
                             List<String> milters) {
    /** Loopback: a proxy on the same host. */
    public static final List<Network> LOOPBACK = List.of(Network.parse("127.0.0.0/8"), Network.parse("::1/128"));

    public ListenerConfig {
        Objects.requireNonNull(role);
        Objects.requireNonNull(address);
        proxyTrusted = List.copyOf(proxyTrusted);
        milters = List.copyOf(milters);
    }

    public ListenerConfig(Role role, InetSocketAddress address, boolean proxyProtocol, List<Network> proxyTrusted) {
        this(role, address, proxyProtocol, proxyTrusted, List.of());
    }

    public ListenerConfig(Role role, InetSocketAddress address, boolean proxyProtocol) {
        this(role, address, proxyProtocol, LOOPBACK);
    }
}
