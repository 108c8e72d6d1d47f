package org.postwerk.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [dane]} (RFC 7672, ADR 0019): whether outbound delivery looks up TLSA records of MX hosts, and how it
 * knows a DNS answer is DNSSEC-validated: the AD bit of a validating resolver ({@code resolver-ad}; trusted only
 * on loopback unless {@code trustedResolver}), or dnsjava's own validator from {@code trustAnchor} ({@code local}).
 */
public record DaneConfig(boolean enabled, Validation validation, Optional<Path> trustAnchor,
                         boolean trustedResolver) {
    /** How DNSSEC validation is had. */
    public enum Validation {
        RESOLVER_AD, LOCAL;

        /** The name as written in the file: {@code resolver-ad}, {@code local}. */
        public String text() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** On, trusting the AD bit of a resolver on loopback (like Postfix's {@code smtp_dns_support_level = dnssec}). */
    public static final DaneConfig DEFAULTS = new DaneConfig(true, Validation.RESOLVER_AD, Optional.empty(), false);

    public DaneConfig {
        Objects.requireNonNull(validation);
        Objects.requireNonNull(trustAnchor);
    }
}
