package org.postwerk.net;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Events per key in a sliding window of fixed length, with bounded memory: a sliding-window counter (the
 * count of the current fixed window plus the previous one's, weighted by how much of it still overlaps the
 * sliding window), as nginx's and Cloudflare's rate limiters approximate a true sliding log with two numbers
 * per key. A burst is stopped at exactly the limit; a steady rate just below it passes.
 *
 * <p>At most {@code maxKeys} keys are held: when the map is full, keys idle for two windows are dropped; if it
 * is still full, a new key is not tracked (its event is allowed) and that is logged once a minute. Failing
 * open here is the lesser harm: the connection limits still bound what a client holds at once. Thread-safe.
 */
public final class SlidingWindow<K> {
    private static final Logger LOG = LoggerFactory.getLogger(SlidingWindow.class);

    private final long windowMillis;
    private final int maxKeys;
    private final Clock clock;
    private final ConcurrentHashMap<K, Counts> counts = new ConcurrentHashMap<>();
    private final AtomicLong lastFullWarning = new AtomicLong(Long.MIN_VALUE);

    /** The counts of one key: {@code start} is the beginning of the current fixed window. */
    private record Counts(long start, long previous, long current) {
        Counts at(long bucket, long window) {
            return bucket == start ? this : bucket == start + window ? new Counts(bucket, current, 0)
                    : new Counts(bucket, 0, 0);
        }

        /** The events in the sliding window that ends at {@code now}. */
        double estimate(long now, long window) {
            double overlap = (double) (window - (now - start)) / window;
            return previous * overlap + current;
        }
    }

    public SlidingWindow(Duration window, int maxKeys, Clock clock) {
        if (window.toMillis() <= 0 || maxKeys <= 0) {
            throw new IllegalArgumentException("window and maxKeys must be positive");
        }
        this.windowMillis = window.toMillis();
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    /** Counts one event for {@code key} when the window holds fewer than {@code limit}; false (not counted) else. */
    public boolean tryAcquire(K key, long limit) {
        long now = clock.millis();
        long bucket = now - Math.floorMod(now, windowMillis);
        if (!counts.containsKey(key) && !roomFor(bucket)) {
            return true;
        }
        boolean[] taken = {false};
        counts.compute(key, (k, c) -> {
            Counts rolled = (c == null ? new Counts(bucket, 0, 0) : c).at(bucket, windowMillis);
            if (rolled.estimate(now, windowMillis) + 1 > limit) {
                return rolled;
            }
            taken[0] = true;
            return new Counts(rolled.start(), rolled.previous(), rolled.current() + 1);
        });
        return taken[0];
    }

    /** True when one more event for {@code key} would stay within {@code limit} (nothing is counted). */
    public boolean allows(K key, long limit) {
        Counts c = counts.get(key);
        if (c == null) {
            return limit >= 1;
        }
        long now = clock.millis();
        return c.at(now - Math.floorMod(now, windowMillis), windowMillis).estimate(now, windowMillis) + 1 <= limit;
    }

    /** Counts one event regardless of any limit, and returns the events now in the window (this one included). */
    public long add(K key) {
        tryAcquire(key, Long.MAX_VALUE);
        return count(key);
    }

    /** The events in the sliding window that ends now, rounded up. */
    public long count(K key) {
        Counts c = counts.get(key);
        if (c == null) {
            return 0;
        }
        long now = clock.millis();
        return (long) Math.ceil(c.at(now - Math.floorMod(now, windowMillis), windowMillis).estimate(now, windowMillis));
    }

    /** Keys held now. */
    public int size() {
        return counts.size();
    }

    private boolean roomFor(long bucket) {
        if (counts.size() < maxKeys) {
            return true;
        }
        counts.values().removeIf(c -> c.start() + windowMillis < bucket); // nothing of it left in the window
        if (counts.size() < maxKeys) {
            return true;
        }
        long now = clock.millis();
        long last = lastFullWarning.get();
        if (now - last >= 60_000 && lastFullWarning.compareAndSet(last, now)) {
            LOG.warn("event=rate-table-full keys={} window={}ms: new keys are not counted", counts.size(), windowMillis);
        }
        return false;
    }
}
