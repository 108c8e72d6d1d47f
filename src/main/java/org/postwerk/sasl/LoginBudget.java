package org.postwerk.sasl;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A budget of failed logins per minute for the whole server, shared by every listener and protocol (SMTP AUTH
 * now, IMAP and POP3 later), on top of each protocol's per-client limits: a guessing botnet spreads its
 * attempts over many addresses and stays under every per-client limit.
 *
 * <p>Refusing everyone once the budget is spent would hand the attacker a lock-out switch: a few hundred wrong
 * passwords a minute would keep every real user out. So the budget only stops clients that are failing:
 * <ul>
 *   <li>every failed login counts towards the budget of the current clock minute (12:00:00 to 12:00:59);</li>
 *   <li>while it is spent, a client whose last login failed, within the last 15 minutes, is refused at once
 *       (no password check; the protocol's "try again later") until the minute rolls on;</li>
 *   <li>every other client is checked as usual: one that has not failed lately, or whose last login succeeded.
 *       A user who types the right password is never stopped by the budget, one who mistyped it waits for the
 *       next minute at most.</li>
 * </ul>
 * While the budget is spent an attacker gets one guess per fresh address (and per 15 minutes), each through the
 * bounded hash pool. A client is an IPv4 address or an IPv6 /64, the block one host normally has. Thread-safe;
 * the per-client memory is bounded ({@link #MAX_CLIENTS}: expired marks are forgotten first, then all).
 */
public final class LoginBudget {
    /** How long a failure marks its client. */
    static final Duration MEMORY = Duration.ofMinutes(15);
    static final int MAX_CLIENTS = 100_000;

    private final int perMinute;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private long minute;
    private int failures;
    /** Client (IPv4 address or IPv6 /64) to the time of its last failure; removed by a success. */
    private final ConcurrentHashMap<InetAddress, Instant> failing = new ConcurrentHashMap<>();

    /** @param perMinute failed logins per clock minute before failing clients are refused */
    public LoginBudget(int perMinute, Clock clock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute " + perMinute);
        }
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** False when the client must be refused without a password check: it is failing and the budget is spent. */
    public boolean admits(InetAddress client) {
        Instant now = clock.instant();
        Instant last = failing.get(key(client));
        if (last == null || !now.isBefore(last.plus(MEMORY))) {
            return true;
        }
        lock.lock();
        try {
            return minuteOf(now) != minute || failures < perMinute;
        } finally {
            lock.unlock();
        }
    }

    /** Counts a failed login (any mechanism, any protocol) and marks the client as failing. */
    public void failed(InetAddress client) {
        Instant now = clock.instant();
        lock.lock();
        try {
            long m = minuteOf(now);
            if (m != minute) {
                minute = m;
                failures = 0;
            }
            failures++;
        } finally {
            lock.unlock();
        }
        if (failing.size() >= MAX_CLIENTS) {
            forgetOld(now);
        }
        failing.put(key(client), now);
    }

    /** A successful login clears the client's mark. */
    public void succeeded(InetAddress client) {
        failing.remove(key(client));
    }

    private static long minuteOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 60);
    }

    /** Marks past {@link #MEMORY} go first; if that is not enough, all go (see the class comment). */
    private void forgetOld(Instant now) {
        failing.values().removeIf(t -> !now.isBefore(t.plus(MEMORY)));
        if (failing.size() >= MAX_CLIENTS) {
            failing.clear();
        }
    }

    /** IPv6 clients by their /64: one host can take any address in it. */
    static InetAddress key(InetAddress client) {
        if (!(client instanceof Inet6Address)) {
            return client;
        }
        byte[] prefix = Arrays.copyOf(client.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("16 bytes are an IPv6 address", e);
        }
    }
}
