package org.postwerk.config;

import java.net.InetSocketAddress;
import java.util.Objects;

/** One listening socket. {@code proxyProtocol}: expect a PROXY protocol v1/v2 header from a load balancer. */
public record ListenerConfig(Role role, InetSocketAddress address, boolean proxyProtocol) {
    public ListenerConfig {
        Objects.requireNonNull(role);
        Objects.requireNonNull(address);
    }
}
