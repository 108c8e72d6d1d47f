package org.postwerk.smtp;

import java.util.Locale;
import java.util.Objects;

/**
 * A mailbox {@code local@domain} (RFC 5321 §4.1.2). The local part is kept exactly as given (it may be
 * case-sensitive and, with SMTPUTF8, non-ASCII); the domain is compared case-insensitively.
 * A quoted local part is stored unquoted in {@code local}; {@link #toString()} re-quotes when needed.
 */
public record Mailbox(String local, String domain) {
    public Mailbox {
        Objects.requireNonNull(local);
        Objects.requireNonNull(domain);
    }

    /** The domain in lower case, for lookups (IDNs stay in Unicode form). */
    public String domainKey() {
        return domain.toLowerCase(Locale.ROOT);
    }

    /** True when any part needs SMTPUTF8 (RFC 6531). */
    public boolean isInternational() {
        return !isAscii(local) || !isAscii(domain);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return (AddressParser.needsQuoting(local) ? AddressParser.quote(local) : local) + "@" + domain;
    }
}
