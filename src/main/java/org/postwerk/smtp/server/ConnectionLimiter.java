package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open sessions in total and per client address, shared by all listeners. IPv6 clients are counted
 * per /64, the smallest block a site is normally given: otherwise one host could use 2^64 addresses.
 */
public final class ConnectionLimiter {
    /** Window for counting failed logins per client across sessions (Postfix's anvil does the same). */
    static final long AUTH_WINDOW_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(15);

    private final int total;
    private final int perAddress;
    private final int authFailuresPerWindow;
    private final ConcurrentHashMap<InetAddress, Failures> authFailures = new ConcurrentHashMap<>();

    private record Failures(long windowStart, int count) {}
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionLimiter(int total, int perAddress) {
        this(total, perAddress, 12);
    }

    /** @param authFailuresPerWindow failed logins a client may have in 15 minutes, over all its sessions */
    public ConnectionLimiter(int total, int perAddress, int authFailuresPerWindow) {
        this.total = total;
        this.perAddress = perAddress;
        this.authFailuresPerWindow = authFailuresPerWindow;
    }

    /** True when the client has used up its failed logins for now: AUTH gets 454 without trying. */
    public boolean authBlocked(InetAddress client) {
        Failures f = authFailures.get(key(client));
        return f != null && System.nanoTime() - f.windowStart() < AUTH_WINDOW_NANOS && f.count() >= authFailuresPerWindow;
    }

    /** Counts a failed login; reconnecting does not reset it (the per-session limit alone would). */
    public void authFailed(InetAddress client) {
        long now = System.nanoTime();
        if (authFailures.size() > 100_000) {
            authFailures.values().removeIf(f -> now - f.windowStart() >= AUTH_WINDOW_NANOS);
        }
        authFailures.compute(key(client), (k, f) -> f == null || now - f.windowStart() >= AUTH_WINDOW_NANOS
                ? new Failures(now, 1) : new Failures(f.windowStart(), f.count() + 1));
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
