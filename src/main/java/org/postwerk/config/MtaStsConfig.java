package org.postwerk.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [mta_sts]} (RFC 8461). Sending: whether destination domains' policies are honoured ({@code enabled}),
 * extra trust anchors for policy servers and MX certificates ({@code caFile}: a private CA, or tests), the bound
 * on one policy fetch and how many domains' policies are cached. Serving: the policy published for each local
 * domain at {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt}: its mode, MX patterns (empty: the host name)
 * and max_age.
 */
public record MtaStsConfig(boolean enabled, Optional<Path> caFile, Duration fetchTimeout, int cacheSize,
                           Mode serveMode, List<String> serveMx, Duration serveMaxAge) {
    /** The policy modes of RFC 8461 §5. */
    public enum Mode { ENFORCE, TESTING, NONE }

    /** Honour policies (RFC 8461 recommends it); serve a {@code testing} policy for the host name, a week. */
    public static final MtaStsConfig DEFAULTS = new MtaStsConfig(true, Optional.empty(), Duration.ofSeconds(20),
            1000, Mode.TESTING, List.of(), Duration.ofDays(7));

    public MtaStsConfig {
        Objects.requireNonNull(caFile);
        Objects.requireNonNull(fetchTimeout);
        Objects.requireNonNull(serveMode);
        serveMx = List.copyOf(serveMx);
        Objects.requireNonNull(serveMaxAge);
    }

    /** The MX patterns to publish: those configured, else the host name. */
    public List<String> serveMx(String hostname) {
        return serveMx.isEmpty() ? List.of(hostname) : serveMx;
    }
}
