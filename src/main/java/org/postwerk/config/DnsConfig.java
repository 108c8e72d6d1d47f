package org.postwerk.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/** Recursive resolvers to ask, in order; an empty list means the system's resolvers. */
public record DnsConfig(List<InetSocketAddress> servers, Duration timeout) {
    public DnsConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(timeout);
    }
}
