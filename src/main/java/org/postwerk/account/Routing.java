package org.postwerk.account;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ArrayList;
import java.util.Set;
import org.postwerk.account.Directory.Route;
import org.postwerk.smtp.Mailbox;

/**
 * Where mail for one address goes, computed from one snapshot: a pure function, table-testable.
 * For an address in a local domain, the first rule that matches wins:
 * <ol>
 *   <li>an alias for the exact address (its targets are routed again; a target equal to the alias itself
 *       means the user of that name, so {@code alice: alice, bob} keeps a copy);</li>
 *   <li>a user of that address;</li>
 *   <li>with a detail ({@code user+tag}), the same rules for the address without it;</li>
 *   <li>{@code postmaster} and {@code abuse}: the configured postmaster;</li>
 *   <li>the domain's catch-all alias {@code @domain}.</li>
 * </ol>
 * Expansion stops at addresses already seen (loops) and at {@link #MAX_DEPTH} levels or {@link #MAX_ADDRESSES}
 * addresses. Targets that lead nowhere are dropped; when nothing is left the address is unknown, so the mail
 * is refused at RCPT rather than accepted and lost.
 */
final class Routing {
    static final int MAX_DEPTH = 10;
    static final int MAX_ADDRESSES = 1000;
    private static final Set<String> ROLE_ACCOUNTS = Set.of("postmaster", "abuse");

    private final Snapshot snapshot;
    private final AccountSettings settings;

    Routing(Snapshot snapshot, AccountSettings settings) {
        this.snapshot = snapshot;
        this.settings = settings;
    }

    boolean isLocalDomain(String domain) {
        String key = Addresses.domain(domain);
        return settings.domains().contains(key) || snapshot.domains().contains(key);
    }

    Route route(Mailbox recipient) {
        if (!isLocalDomain(recipient.domain())) {
            return new Route.Remote();
        }
        Expansion e = new Expansion();
        e.resolve(recipient, 0);
        if (e.accounts.isEmpty() && e.forwards.isEmpty()) {
            return new Route.Unknown();
        }
        return new Route.Local(e.accounts, e.forwards);
    }

    /** The state of one expansion: what was found, what was seen. */
    private final class Expansion {
        final Set<String> accounts = new LinkedHashSet<>();
        final List<Mailbox> forwards = new ArrayList<>();
        final Set<String> seen = new HashSet<>();

        void resolve(Mailbox address, int depth) {
            String key = Addresses.key(address);
            if (depth > MAX_DEPTH || seen.size() >= MAX_ADDRESSES || !seen.add(key)) {
                return;
            }
            if (!isLocalDomain(address.domain())) {
                forwards.add(address);
                return;
            }
            List<String> targets = snapshot.aliases().get(key);
            if (targets != null) {
                expand(key, targets, depth);
            } else if (snapshot.users().containsKey(key)) {
                accounts.add(key);
            } else {
                fallBack(address, depth);
            }
        }

        private void fallBack(Mailbox address, int depth) {
            String local = address.local().toLowerCase(java.util.Locale.ROOT);
            int detail = detailStart(local);
            if (detail > 0) {
                resolve(new Mailbox(local.substring(0, detail), address.domain()), depth + 1);
            } else if (ROLE_ACCOUNTS.contains(local)) {
                // RFC 5321 §4.5.1: postmaster must always be accepted. Without a configured postmaster account
                // (or when this is it), the role address gets a mailbox of its own, made on first delivery.
                String postmaster = settings.postmaster().map(Addresses::key).orElse(null);
                if (postmaster != null && !postmaster.equals(Addresses.key(address))) {
                    resolveText(settings.postmaster().get(), depth);
                } else {
                    accounts.add(Addresses.key(address));
                }
            } else {
                List<String> catchAll = snapshot.aliases().get("@" + Addresses.domain(address.domain()));
                if (catchAll != null) {
                    expand(Addresses.key(address), catchAll, depth);
                }
            }
        }

        private void expand(String self, List<String> targets, int depth) {
            for (String target : targets) {
                if (Addresses.key(target).equals(self) && snapshot.users().containsKey(self)) {
                    accounts.add(self);
                } else {
                    resolveText(target, depth);
                }
            }
        }

        private void resolveText(String target, int depth) {
            Addresses.parse(target).ifPresent(m -> resolve(m, depth + 1));
        }

        private int detailStart(String local) {
            for (int i = 0; i < local.length(); i++) {
                if (settings.detailSeparators().indexOf(local.charAt(i)) >= 0) {
                    return i;
                }
            }
            return -1;
        }
    }
}
