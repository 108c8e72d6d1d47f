package org.postwerk.config;

/** What a listener speaks: MX on port 25, submission with STARTTLS (RFC 6409), or implicit TLS (RFC 8314). */
public enum Role { SMTP, SUBMISSION, SUBMISSIONS }
