package org.postwerk.auth.dmarc;

import java.util.Locale;

/**
 * The SPF result DMARC uses (RFC 7489 §4.1): the MAIL FROM identity's check. For a null reverse-path that
 * identity is {@code postmaster@<HELO domain>} (RFC 7208 §2.4), so {@code domain} is the HELO domain and
 * {@code scope} is {@link Scope#HELO}. A separate HELO check for a non-null reverse-path must not be passed here.
 *
 * @param domain the domain SPF evaluated
 * @param scope  which identity that domain came from (for aggregate reports)
 * @param result the SPF result
 */
public record SpfOutcome(String domain, Scope scope, Result result) {
    /** RFC 7208 §2.6; the same names as {@code org.postwerk.auth.spf.SpfResult.Code}. */
    public enum Result { NONE, NEUTRAL, PASS, FAIL, SOFTFAIL, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** RFC 7489 Appendix C {@code SPFDomainScope}. */
    public enum Scope { MFROM, HELO;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
