package org.postwerk.auth.dkim;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/**
 * Key lookups for one message, started as soon as the header is complete so DNS time overlaps the body
 * transfer, each distinct name once (several signatures often share a key). One virtual thread per lookup;
 * the {@link Resolver} bounds every query in time, so waiting for the answer cannot hang.
 */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's key lookups)
public final class KeyFetch {
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("dkim-key").start(task);

    private final Resolver resolver;
    private final Map<String, CompletableFuture<DnsAnswer<String>>> lookups = new HashMap<>();

    public KeyFetch(Resolver resolver) {
        this.resolver = resolver;
    }

    static String name(DkimSignature sig) {
        return sig.selector() + "._domainkey." + sig.domain();
    }

    public void start(DkimSignature sig) {
        lookups.computeIfAbsent(name(sig), n -> CompletableFuture.supplyAsync(() -> resolver.txt(n), VIRTUAL));
    }

    /** The answer for a signature's key, waiting for it if needed (started now if it was not). */
    DnsAnswer<String> txt(DkimSignature sig) {
        start(sig);
        try {
            return lookups.get(name(sig)).join();
        } catch (RuntimeException e) { // a resolver must not throw; if one does, it is a lookup failure
            return new DnsAnswer.TempError<>("key lookup failed: " + e);
        }
    }
}
