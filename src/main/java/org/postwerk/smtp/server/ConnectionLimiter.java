package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open sessions in total and per client address, shared by all listeners. IPv6 clients are counted
 * per /64, the smallest block a site is normally given: otherwise one host could use 2^64 addresses.
 */
public final class ConnectionLimiter {
    private final int total;
    private final int perAddress;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimiter(int total, int perAddress) {
        this.total = total;
        this.perAddress = perAddress;
    }

    /** Why a connection was refused, or null when it was admitted (then {@link #exit} must follow). */
    public String tryEnter(InetAddress client) {
        if (open.incrementAndGet() > total) {
            open.decrementAndGet();
            return "Too many connections, try again later";
        }
        if (byAddress.merge(key(client), 1, Integer::sum) > perAddress) {
            exit(client);
            return "Too many connections from your address";
        }
        return null;
    }

    public void exit(InetAddress client) {
        open.decrementAndGet();
        byAddress.computeIfPresent(key(client), (a, n) -> n <= 1 ? null : n - 1);
    }

    static InetAddress key(InetAddress client) {
        if (!(client instanceof java.net.Inet6Address)) {
            return client;
        }
        byte[] a = client.getAddress();
        java.util.Arrays.fill(a, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always a valid address
        }
    }

    public int open() {
        return open.get();
    }
}
