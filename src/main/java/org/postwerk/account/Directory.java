package org.postwerk.account;

import java.util.List;
import java.util.Set;
import org.postwerk.smtp.Mailbox;

/**
 * Answers "where does mail for this address go?" for local domains: accounts, aliases (one-to-many),
 * catch-all per domain, plus-addressing ({@code user+tag@}), and the default {@code postmaster} and
 * {@code abuse} aliases.
 */
public interface Directory {
    /** True when the domain is one we receive mail for (case-insensitive). */
    boolean isLocalDomain(String domain);

    Route route(Mailbox recipient);

    /** Where a recipient goes. */
    sealed interface Route {
        /** Delivered to these local accounts and/or forwarded to these (possibly remote) addresses. */
        record Local(Set<String> accounts, List<Mailbox> forwards) implements Route {
            public Local {
                accounts = Set.copyOf(accounts);
                forwards = List.copyOf(forwards);
            }
        }

        /** Not a local domain: relaying rules decide. */
        record Remote() implements Route {}

        /** A local domain but no such user: reject at RCPT with 550 5.1.1. */
        record Unknown() implements Route {}
    }
}
