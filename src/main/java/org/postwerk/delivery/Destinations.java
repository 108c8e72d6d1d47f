package org.postwerk.delivery;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The per-destination limit: deliveries in progress per domain, and the messages waiting for one of them to
 * end. A message that finds its destination full is parked here and handed back the moment a slot frees, so
 * it neither spins nor waits for the next poll. Domains leave both maps when idle.
 */
final class Destinations {
    private final int limit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> active = new HashMap<>();
    private final Map<String, ArrayDeque<String>> waiting = new HashMap<>();

    Destinations(int limit) {
        this.limit = limit;
    }

    /** Takes a slot for {@code domain}, or parks {@code id} until one frees and returns false. */
    boolean enterOrWait(String domain, String id) {
        lock.lock();
        try {
            int n = active.getOrDefault(domain, 0);
            if (n < limit) {
                active.put(domain, n + 1);
                return true;
            }
            ArrayDeque<String> q = waiting.computeIfAbsent(domain, k -> new ArrayDeque<>());
            if (!q.contains(id)) {
                q.add(id);
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Gives the slot back; returns the id of a message waiting for this domain, or null. */
    String leave(String domain) {
        lock.lock();
        try {
            active.computeIfPresent(domain, (k, n) -> n == 1 ? null : n - 1);
            ArrayDeque<String> q = waiting.get(domain);
            if (q == null) {
                return null;
            }
            String next = q.poll();
            if (q.isEmpty()) {
                waiting.remove(domain);
            }
            return next;
        } finally {
            lock.unlock();
        }
    }
}
