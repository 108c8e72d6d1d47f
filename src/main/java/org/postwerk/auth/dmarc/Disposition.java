package org.postwerk.auth.dmarc;

import java.util.Locale;

/**
 * What the receiver does with a message after DMARC: deliver, deliver to the Junk folder, or refuse with
 * 550 5.7.1 (the SMTP reply is the caller's).
 */
public enum Disposition {
    ACCEPT, QUARANTINE, REJECT;

    /** The aggregate report's name for it (RFC 7489 Appendix C {@code DispositionType}). */
    public String reportKeyword() {
        return this == ACCEPT ? "none" : name().toLowerCase(Locale.ROOT);
    }
}
