package org.postwerk.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.postwerk.account.Directory;
import org.postwerk.smtp.Mailbox;

/** A hand-written Directory for session tests: a few local domains, accounts and forwarding aliases. */
public final class FakeDirectory implements Directory {
    private final Set<String> domains;
    private final Map<String, Route> routes = new HashMap<>();

    public FakeDirectory(String... domains) {
        this.domains = Set.of(domains);
        for (String d : domains) {
            routes.put("postmaster@" + d, new Route.Local(Set.of("postmaster@" + d), List.of()));
        }
    }

    public FakeDirectory account(String address) {
        routes.put(address.toLowerCase(Locale.ROOT), new Route.Local(Set.of(address), List.of()));
        return this;
    }

    public FakeDirectory forward(String address, Mailbox target) {
        routes.put(address.toLowerCase(Locale.ROOT), new Route.Local(Set.of(), List.of(target)));
        return this;
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return domains.contains(domain.toLowerCase(Locale.ROOT));
    }

    @Override
    public Route route(Mailbox recipient) {
        if (!isLocalDomain(recipient.domain())) {
            return new Route.Remote();
        }
        return routes.getOrDefault((recipient.local() + "@" + recipient.domainKey()).toLowerCase(Locale.ROOT),
                new Route.Unknown());
    }
}
