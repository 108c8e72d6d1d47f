package org.postwerk.config;

/**
 * What a listener speaks: SMTP as MX on port 25, submission with STARTTLS (RFC 6409) or implicit TLS
 * (RFC 8314); IMAP with STARTTLS (port 143) or implicit TLS (993); POP3 with STLS (110) or implicit TLS (995);
 * the public web listener over HTTPS ({@code web}, 443) or plain HTTP ({@code http}, 80); OPS, plain HTTP for
 * operators ({@code /metrics}, {@code /health}), on loopback unless the configuration says otherwise.
 */
public enum Role {
    SMTP, SUBMISSION, SUBMISSIONS, IMAP, IMAPS, POP3, POP3S, WEB, HTTP, OPS;

    /** True for the roles served by the SMTP server. */
    public boolean isSmtp() {
        return this == SMTP || this == SUBMISSION || this == SUBMISSIONS;
    }

    /** True for the roles whose connection starts with a TLS handshake (RFC 8314). */
    public boolean implicitTls() {
        return this == SUBMISSIONS || this == IMAPS || this == POP3S || this == WEB;
    }

    /** True for the roles served by the POP3 server. */
    public boolean isPop3() {
        return this == POP3 || this == POP3S;
    }

    /** True for the roles served by the web listener (HTTP, not a {@code net.Listener} session). */
    public boolean isWeb() {
        return this == WEB || this == HTTP;
    }
}
