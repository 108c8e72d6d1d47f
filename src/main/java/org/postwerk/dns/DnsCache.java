package org.postwerk.dns;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * A bounded, TTL-respecting cache of resolved answers, keyed by name and type. Positive answers live for the
 * smallest TTL of the records and CNAMEs that produced them; negative answers (NXDOMAIN, NODATA) for the SOA's
 * negative TTL (RFC 2308 §5), capped; negative answers without an SOA and temporary errors are never stored.
 * Least recently used entries go first when full. Thread-safe; the lock is never held across I/O.
 */
public final class DnsCache {
    /** RFC 8767 §4 suggests a one-week cap; a day keeps a mail server responsive to operators' changes. */
    private static final Duration MAX_POSITIVE_TTL = Duration.ofDays(1);

    private record Key(Name name, int type) {}

    private record Stored(DnsAnswer<Record> answer, Instant expires) {}

    private final InstantSource clock;
    private final Duration negativeTtlCap;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Stored> entries;

    /**
     * @param clock          time source (tests pass a settable one)
     * @param maxEntries     bound on stored answers
     * @param negativeTtlCap longest time a negative answer is kept (RFC 2308 §5 suggests 1–3 hours)
     */
    public DnsCache(InstantSource clock, int maxEntries, Duration negativeTtlCap) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be positive");
        }
        this.clock = clock;
        this.negativeTtlCap = negativeTtlCap;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Stored> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** A live answer; a found one carries the time it has left as its TTL. */
    Optional<DnsAnswer<Record>> get(Name name, int type) {
        Key key = new Key(name, type);
        Instant now = clock.instant();
        Stored stored;
        lock.lock();
        try {
            stored = entries.get(key);
            if (stored != null && !stored.expires().isAfter(now)) {
                entries.remove(key);
                stored = null;
            }
        } finally {
            lock.unlock();
        }
        if (stored == null) {
            return Optional.empty();
        }
        if (stored.answer() instanceof DnsAnswer.Found<Record> f) {
            return Optional.of(new DnsAnswer.Found<>(f.records(), Duration.between(now, stored.expires())));
        }
        return Optional.of(stored.answer());
    }

    /** Stores a positive answer for {@code ttl} (capped). A zero TTL means "do not cache" (RFC 1035 §3.2.1). */
    void put(Name name, int type, DnsAnswer.Found<Record> found, Duration ttl) {
        store(name, type, found, min(ttl, MAX_POSITIVE_TTL));
    }

    /** Stores a negative answer for the SOA-derived {@code ttl}, capped at the configured limit. */
    void putNegative(Name name, int type, DnsAnswer<Record> negative, Duration ttl) {
        store(name, type, negative, min(ttl, negativeTtlCap));
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    private void store(Name name, int type, DnsAnswer<Record> answer, Duration ttl) {
        if (ttl.isZero() || ttl.isNegative()) {
            return;
        }
        Stored stored = new Stored(answer, clock.instant().plus(ttl));
        lock.lock();
        try {
            entries.put(new Key(name, type), stored);
        } finally {
            lock.unlock();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
