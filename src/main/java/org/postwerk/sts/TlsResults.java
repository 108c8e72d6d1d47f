package org.postwerk.sts;

import java.util.Locale;

/**
 * Where the outcome of each policy fetch and each TLS attempt under an MTA-STS policy goes: the seam for TLS
 * reporting (RFC 8460), which will count them per policy domain. {@link #NONE} drops them; delivery logs them
 * itself either way.
 */
public interface TlsResults {
    /** RFC 8460 §4.3 result types that MTA-STS can produce. */
    enum Failure {
        STARTTLS_NOT_SUPPORTED, CERTIFICATE_HOST_MISMATCH, CERTIFICATE_EXPIRED, CERTIFICATE_NOT_TRUSTED,
        VALIDATION_FAILURE, STS_POLICY_FETCH_ERROR, STS_POLICY_INVALID, STS_WEBPKI_INVALID;

        /** What a failed verifying handshake was about, from the JDK's exception (its texts are not an API). */
        public static Failure of(Throwable handshake) {
            for (Throwable t = handshake; t != null; t = t.getCause()) {
                String m = String.valueOf(t.getMessage());
                if (t instanceof java.security.cert.CertificateExpiredException
                        || t instanceof java.security.cert.CertificateNotYetValidException
                        || m.contains("validity check failed")) {
                    return CERTIFICATE_EXPIRED;
                }
                if (m.contains("No subject alternative") || m.contains("No name matching")) {
                    return CERTIFICATE_HOST_MISMATCH;
                }
                if (t instanceof java.security.cert.CertPathBuilderException
                        || m.contains("unable to find valid certification path")) {
                    return CERTIFICATE_NOT_TRUSTED;
                }
            }
            return VALIDATION_FAILURE;
        }

        /** The result-type string of RFC 8460 §4.3, e.g. {@code certificate-host-mismatch}. */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A TLS session with {@code mx} that satisfied {@code policy} of {@code domain}. */
    void success(String domain, StsPolicy policy, String mx);

    /** A failure; {@code policy} and {@code mx} are null when the policy itself could not be had. */
    void failure(String domain, StsPolicy policy, String mx, Failure type, String detail);

    TlsResults NONE = new TlsResults() {
        @Override
        public void success(String domain, StsPolicy policy, String mx) {}

        @Override
        public void failure(String domain, StsPolicy policy, String mx, Failure type, String detail) {}
    };
}
