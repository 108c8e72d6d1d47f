package org.postwerk.tls;

import java.util.List;
import java.util.Locale;

/**
 * Where the outcome of each outbound TLS attempt held to a policy (MTA-STS, DANE) and each policy lookup goes:
 * the seam for TLS reporting (RFC 8460), which counts them per policy domain. {@link #NONE} drops them; delivery
 * logs them itself either way.
 */
public interface TlsResults {
    /** RFC 8460 §4.3 result types. */
    enum Failure {
        // §4.3.1 negotiation failures
        STARTTLS_NOT_SUPPORTED, CERTIFICATE_HOST_MISMATCH, CERTIFICATE_EXPIRED, CERTIFICATE_NOT_TRUSTED,
        VALIDATION_FAILURE,
        // §4.3.2 policy failures: DANE
        TLSA_INVALID, DNSSEC_INVALID, DANE_REQUIRED,
        // §4.3.2 policy failures: MTA-STS
        STS_POLICY_FETCH_ERROR, STS_POLICY_INVALID, STS_WEBPKI_INVALID;

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

    /**
     * The policy a session was held to, as a report names it (RFC 8460 §4.4 "policy").
     *
     * @param strings the policy as published: the MTA-STS policy's lines, or the TLSA records in presentation form
     * @param mxHost  the MTA-STS policy's MX patterns (empty for other types)
     */
    record Policy(Type type, List<String> strings, List<String> mxHost) {
        public enum Type { STS, TLSA, NO_POLICY_FOUND;

            /** The policy-type string of RFC 8460 §4.4. */
            public String code() {
                return name().toLowerCase(Locale.ROOT).replace('_', '-');
            }
        }

        public Policy {
            strings = List.copyOf(strings);
            mxHost = List.copyOf(mxHost);
        }

        /** No policy could be had (e.g. a failed MTA-STS fetch with nothing cached). */
        public static final Policy NONE = new Policy(Type.NO_POLICY_FOUND, List.of(), List.of());
    }

    /**
     * A TLS session with {@code mx} (at {@code ip}) that satisfied {@code policy} of {@code domain}.
     */
    void success(String domain, Policy policy, String mx, String ip);

    /**
     * A failure; {@code mx} and {@code ip} are null when no host was reached (e.g. the policy itself could not be
     * had), {@code detail} is the additional information for the report.
     */
    void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail);

    TlsResults NONE = new TlsResults() {
        @Override
        public void success(String domain, Policy policy, String mx, String ip) {}

        @Override
        public void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail) {}
    };
}
