package org.postwerk.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [srs]}: the Sender Rewriting Scheme for mail our aliases forward to other domains.
 *
 * @param domain         the domain of the rewritten senders; empty: the first of {@code local_domains}
 * @param secretFile     the secrets; empty: {@code DATA/srs.secret}, made on first use
 * @param maxAge         how long a bounce may take to come back (libsrs2's default is 21 days)
 * @param excludeDomains sender domains never rewritten, besides the local ones (lower case)
 */
public record SrsConfig(boolean enabled, Optional<String> domain, Optional<Path> secretFile, Duration maxAge,
                        List<String> excludeDomains) {
    public SrsConfig {
        Objects.requireNonNull(domain);
        Objects.requireNonNull(secretFile);
        Objects.requireNonNull(maxAge);
        excludeDomains = List.copyOf(excludeDomains);
    }

    public static final SrsConfig DEFAULTS = new SrsConfig(true, Optional.empty(), Optional.empty(),
            Duration.ofDays(21), List.of());

    /** The domain in force under {@code config}. */
    public String domainIn(Config config) {
        return domain.orElse(config.localDomains().getFirst());
    }

    /** The secret file in force under {@code config}. */
    public Path secretFileIn(Config config) {
        return secretFile.orElse(config.dataDir().resolve("srs.secret"));
    }
}
