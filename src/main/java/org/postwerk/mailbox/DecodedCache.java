package org.postwerk.mailbox;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decoded message data (a parsed header block, a MIME structure) kept in memory for every folder of the
 * process, bounded by the sum of their sizes: FETCH and SEARCH of a folder that its sessions read again and
 * again need neither the cache file nor decoding. Derived data only, never durable; a folder's entries are
 * dropped with it. Thread-safe; reads take no lock (four sessions fetching 10,000 messages each would queue
 * on one), so the eviction order is CLOCK: oldest first, but an entry read since it was last passed over
 * gets another round.
 */
public final class DecodedCache {
    private record Key(Object folder, long uid) {
    }

    private static final class Value {
        final Object data;
        final int bytes;
        volatile boolean used;

        Value(Object data, int bytes) {
            this.data = data;
            this.bytes = bytes;
        }
    }

    private final long maxBytes;
    private final ConcurrentHashMap<Key, Value> entries = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Key> order = new ArrayDeque<>(); // guarded by lock, oldest first; may hold stale keys
    private long bytes; // guarded by lock

    /** @param maxBytes the bound on the entries' sizes as their owners estimate them */
    public DecodedCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The data kept for a message of a folder ({@code folder} is compared by identity), or null. */
    public Object get(Object folder, long uid) {
        Value v = entries.get(new Key(folder, uid));
        if (v == null) {
            return null;
        }
        if (!v.used) {
            v.used = true;
        }
        return v.data;
    }

    /** Keeps data of about {@code size} bytes, dropping the entries least recently used beyond the bound. */
    public void put(Object folder, long uid, Object data, int size) {
        if (size > maxBytes / 4) {
            return; // one message must not flush everything else
        }
        Key key = new Key(folder, uid);
        lock.lock();
        try {
            Value old = entries.put(key, new Value(data, size));
            bytes += size - (old == null ? 0 : old.bytes);
            if (old == null) {
                order.addLast(key);
            }
            while (bytes > maxBytes && !order.isEmpty()) {
                Key k = order.pollFirst();
                Value v = entries.get(k);
                if (v == null) {
                    continue; // forgotten meanwhile
                }
                if (v.used) {
                    v.used = false;
                    order.addLast(k);
                } else {
                    entries.remove(k);
                    bytes -= v.bytes;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is kept for a folder (closed, or its UIDVALIDITY changed). */
    public void forget(Object folder) {
        lock.lock();
        try {
            order.removeIf(k -> k.folder == folder);
            entries.entrySet().removeIf(e -> {
                boolean gone = e.getKey().folder == folder;
                if (gone) {
                    bytes -= e.getValue().bytes;
                }
                return gone;
            });
        } finally {
            lock.unlock();
        }
    }

    /** The estimated size of what is kept now. */
    public long bytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }
}
