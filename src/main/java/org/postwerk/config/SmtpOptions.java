package org.postwerk.config;

import java.util.Objects;

/**
 * SMTP behaviour switches. {@code vrfy}: answer VRFY truthfully (off: 252, RFC 5321 §3.5.3).
 * {@code postmaster}: the local account that receives mail for postmaster@ and abuse@ of every local domain
 * (RFC 5321 §4.5.1, RFC 2142). {@code senderLoginMatch}: a logged-in user may use as MAIL FROM only an
 * address that is delivered to their own account (their address, an alias or +tag of it).
 */
public record SmtpOptions(boolean vrfy, String postmaster, boolean senderLoginMatch) {
    public SmtpOptions {
        Objects.requireNonNull(postmaster);
    }

    public SmtpOptions(boolean vrfy, String postmaster) {
        this(vrfy, postmaster, true);
    }
}
