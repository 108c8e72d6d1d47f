package org.postwerk.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Server certificate and key (PEM), both present or both absent; absent means a self-signed certificate kept
 * under {@code dataDir/tls}. {@code protocols}: enabled TLS versions, most preferred first.
 */
public record TlsConfig(Optional<Path> certificate, Optional<Path> key, List<String> protocols) {
    public TlsConfig {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("certificate and key must be given together");
        }
        protocols = List.copyOf(protocols);
    }
}
