package org.postwerk.mailbox;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Decoded message data (a parsed header block, a MIME structure) kept in memory for every folder of the
 * process, least recently used first out once their size passes a bound: FETCH and SEARCH of a folder that
 * its sessions read again and again need neither the cache file nor decoding. Derived data only, never
 * durable; entries of a folder are dropped with it. Thread-safe.
 */
public final class DecodedCache {
    private record Key(Object folder, long uid) {
    }

    private record Value(Object data, int bytes) {
    }

    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final LinkedHashMap<Key, Value> entries = new LinkedHashMap<>(1024, 0.75f, true); // guarded by lock
    private long bytes; // guarded by lock

    /** @param maxBytes the bound on the entries' sizes as their owners estimate them */
    public DecodedCache(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The data kept for a message of a folder ({@code folder} is compared by identity), or null. */
    public Object get(Object folder, long uid) {
        lock.lock();
        try {
            Value v = entries.get(new Key(folder, uid));
            return v == null ? null : v.data;
        } finally {
            lock.unlock();
        }
    }

    /** Keeps data of about {@code size} bytes, dropping the least recently used entries beyond the bound. */
    public void put(Object folder, long uid, Object data, int size) {
        if (size > maxBytes / 4) {
            return; // one message must not flush everything else
        }
        lock.lock();
        try {
            Value old = entries.put(new Key(folder, uid), new Value(data, size));
            bytes += size - (old == null ? 0 : old.bytes);
            Iterator<Value> it = entries.values().iterator();
            while (bytes > maxBytes && it.hasNext()) {
                bytes -= it.next().bytes;
                it.remove();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is kept for a folder (closed, or its UIDVALIDITY changed). */
    public void forget(Object folder) {
        lock.lock();
        try {
            Iterator<Map.Entry<Key, Value>> it = entries.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<Key, Value> e = it.next();
                if (e.getKey().folder == folder) {
                    bytes -= e.getValue().bytes;
                    it.remove();
                }
            }
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
