package org.postwerk.delivery;

import java.util.Optional;

/**
 * A per-domain override of MX routing (a smarthost, e.g. a provider on 587): send mail for {@code domain}
 * ({@code *} for every remote domain) to {@code host:port}. {@code implicitTls}: TLS from the first byte
 * (port 465); otherwise STARTTLS, required when {@code requireTls} (then the certificate is verified too).
 * AUTH is only ever sent over TLS.
 */
public record RouteSettings(String domain, String host, int port, boolean implicitTls, boolean requireTls,
                            Optional<String> authUser, Optional<String> authPassword) {
    @Override
    public String toString() {
        return "RouteSettings[" + domain + " -> " + host + ":" + port + (authUser.isPresent() ? " auth" : "") + "]";
    }
}
