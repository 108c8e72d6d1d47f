package org.postwerk.auth.dmarc;

import java.util.Locale;

/**
 * One DKIM signature's verification result (RFC 6376 §6.1; result names of RFC 8601 §2.7.1).
 *
 * @param domain   the signature's {@code d=}
 * @param selector the signature's {@code s=} (for aggregate reports)
 * @param result   the verification result
 */
public record DkimOutcome(String domain, String selector, Result result) {
    public enum Result { NONE, PASS, FAIL, POLICY, NEUTRAL, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
