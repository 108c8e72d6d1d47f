package org.postwerk.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Server certificate and key (PEM), both present or both absent; absent means a self-signed certificate kept
 * under {@code dataDir/tls}. {@code protocols}: enabled TLS versions, most preferred first. {@code extra}: more
 * certificates ({@code [[tls.extra]]}), each served to clients that ask for one of its names (SNI).
 */
public record TlsConfig(Optional<Path> certificate, Optional<Path> key, List<String> protocols, List<Pair> extra) {
    /** One more certificate chain and its key, PEM. */
    public record Pair(Path certificate, Path key) {
        public Pair {
            java.util.Objects.requireNonNull(certificate);
            java.util.Objects.requireNonNull(key);
        }
    }

    public TlsConfig {
        if (certificate.isPresent() != key.isPresent()) {
            throw new IllegalArgumentException("certificate and key must be given together");
        }
        protocols = List.copyOf(protocols);
        extra = List.copyOf(extra);
    }

    /** Without extra certificates. */
    public TlsConfig(Optional<Path> certificate, Optional<Path> key, List<String> protocols) {
        this(certificate, key, protocols, List.of());
    }
}
