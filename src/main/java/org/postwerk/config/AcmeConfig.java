package org.postwerk.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@code [acme]} (RFC 8555): whether certificates are ordered ({@code enabled}), from which CA's directory, with
 * which contact, for which names (empty: {@link #domains(String, List)} decides), extra trust for the CA's own
 * HTTPS ({@code caFile}: a test CA such as pebble's), the challenge types offered, and how long before expiry a
 * certificate is renewed.
 */
public record AcmeConfig(boolean enabled, URI directory, Optional<String> email, List<String> domains,
                         Optional<Path> caFile, Set<Challenge> challenges, Duration renewBefore) {
    /** RFC 8555 §8.3 on the {@code http} listener, RFC 8737 on the {@code web} (HTTPS) listener. */
    public enum Challenge { HTTP_01, TLS_ALPN_01 }

    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    /** Off; when turned on: Let's Encrypt production, both challenges, renewal 30 days before expiry. */
    public static final AcmeConfig DEFAULTS = new AcmeConfig(false, LETS_ENCRYPT, Optional.empty(), List.of(),
            Optional.empty(), Set.of(Challenge.HTTP_01, Challenge.TLS_ALPN_01), Duration.ofDays(30));

    public AcmeConfig {
        Objects.requireNonNull(directory);
        Objects.requireNonNull(email);
        domains = List.copyOf(domains);
        Objects.requireNonNull(caFile);
        challenges = Set.copyOf(challenges);
        Objects.requireNonNull(renewBefore);
    }

    /**
     * The names on the certificate: those configured, else the host name and {@code mta-sts.DOMAIN} for each
     * local domain (the MTA-STS policy host must present a valid certificate, RFC 8461 §3.3). {@code localhost}
     * is left out: no CA issues for it.
     */
    public List<String> domains(String hostname, List<String> localDomains) {
        if (!domains.isEmpty()) {
            return domains;
        }
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        names.add(hostname);
        localDomains.stream().filter(d -> !d.equals("localhost")).forEach(d -> names.add("mta-sts." + d));
        return List.copyOf(names);
    }
}
