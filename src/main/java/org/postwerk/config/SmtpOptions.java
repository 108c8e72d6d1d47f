package org.postwerk.config;

import java.util.Objects;

/**
 * SMTP behaviour switches. {@code vrfy}: answer VRFY truthfully (off: 252, RFC 5321 §3.5.3).
 * {@code postmaster}: the local account that receives mail for postmaster@ and abuse@ of every local domain
 * (RFC 5321 §4.5.1, RFC 2142). {@code senderLoginMatch}: a logged-in user may use as MAIL FROM only an
 * address that is delivered to their own account (their address, an alias or +tag of it).
 * {@code bareNewline}: what a line ending in a bare LF gets (ADR 0003).
 */
public record SmtpOptions(boolean vrfy, String postmaster, boolean senderLoginMatch, BareNewline bareNewline) {
    /**
     * Lines that end in a bare LF instead of CRLF (RFC 5321 §2.3.8). Either way only {@code CRLF . CRLF} ends
     * DATA, and a bare CR is refused.
     */
    public enum BareNewline {
        /** Accepted and stored as CRLF, in commands and content (Postfix 3.9's default, "normalize"). */
        NORMALIZE,
        /** Refused: {@code 500 5.5.2} for a command, {@code 550 5.5.2} for a message (Postfix's "reject"). */
        REJECT
    }

    public SmtpOptions {
        Objects.requireNonNull(postmaster);
        Objects.requireNonNull(bareNewline);
    }

    public SmtpOptions(boolean vrfy, String postmaster) {
        this(vrfy, postmaster, true, BareNewline.NORMALIZE);
    }
}
