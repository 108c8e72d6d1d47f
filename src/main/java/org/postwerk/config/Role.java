package org.postwerk.config;

/**
 * What a listener speaks: SMTP as MX on port 25, submission with STARTTLS (RFC 6409) or implicit TLS
 * (RFC 8314); IMAP with STARTTLS (port 143) or implicit TLS (993); OPS, plain HTTP for operators
 * ({@code /metrics}, {@code /health}), on loopback unless the configuration says otherwise.
 */
public enum Role {
    SMTP, SUBMISSION, SUBMISSIONS, IMAP, IMAPS, OPS;

    /** True for the roles served by the SMTP server. */
    public boolean isSmtp() {
        return this == SMTP || this == SUBMISSION || this == SUBMISSIONS;
    }

    /** True for the roles whose connection starts with a TLS handshake (RFC 8314). */
    public boolean implicitTls() {
        return this == SUBMISSIONS || this == IMAPS;
    }
}
