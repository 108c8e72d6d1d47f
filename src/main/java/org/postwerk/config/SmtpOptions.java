package org.postwerk.config;

import java.util.Objects;

/**
 * SMTP behaviour switches. {@code vrfy}: answer VRFY truthfully (off: 252, RFC 5321 §3.5.3).
 * {@code postmaster}: the local account that receives mail for postmaster@ and abuse@ of every local domain
 * (RFC 5321 §4.5.1, RFC 2142).
 */
public record SmtpOptions(boolean vrfy, String postmaster) {
    public SmtpOptions {
        Objects.requireNonNull(postmaster);
    }
}
