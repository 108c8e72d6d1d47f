package org.postwerk.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Sends mail for {@code domain} to a fixed host instead of its MX; {@code "*"} routes every remote domain
 * (a smarthost). {@code requireTls}: never send in clear text (defer instead); {@code implicitTls}: TLS from
 * the first byte (RFC 8314) rather than STARTTLS.
 */
public record RouteConfig(String domain, String host, int port, boolean implicitTls, boolean requireTls,
                          Optional<String> authUser, Optional<String> authPassword) {
    public RouteConfig {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(host);
        Objects.requireNonNull(authUser);
        Objects.requireNonNull(authPassword);
    }

    /** True for the catch-all smarthost route. */
    public boolean isDefault() {
        return domain.equals("*");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "RouteConfig[" + domain + " -> " + host + ":" + port + (implicitTls ? " tls" : "")
                + (requireTls ? " require-tls" : "") + authUser.map(u -> " auth=" + u).orElse("") + "]";
    }
}
