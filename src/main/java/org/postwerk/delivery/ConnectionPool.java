package org.postwerk.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.smtp.client.SmtpClient;

/**
 * Idle SMTP connections by destination domain, reused for the next message to the same place (fewer
 * handshakes, RFC 5321 §3.3 allows many transactions per session). Connections idle longer than the limit
 * are closed when the pool is next touched.
 */
final class ConnectionPool implements AutoCloseable {
    private record Idle(SmtpClient client, long since) {}

    private final long maxIdleNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Deque<Idle>> idle = new HashMap<>();

    ConnectionPool(Duration maxIdle) {
        this.maxIdleNanos = maxIdle.toNanos();
    }

    /** An idle connection to the destination, or null. */
    SmtpClient take(String destination) {
        List<SmtpClient> stale = new ArrayList<>();
        SmtpClient found = null;
        lock.lock();
        try {
            expire(stale);
            Deque<Idle> d = idle.get(destination);
            if (d != null && !d.isEmpty()) {
                found = d.pollLast().client();
            }
        } finally {
            lock.unlock();
        }
        stale.forEach(SmtpClient::close);
        return found;
    }

    void give(String destination, SmtpClient client) {
        if (maxIdleNanos <= 0 || !client.isOpen()) {
            client.close();
            return;
        }
        lock.lock();
        try {
            idle.computeIfAbsent(destination, k -> new ArrayDeque<>()).addLast(new Idle(client, System.nanoTime()));
        } finally {
            lock.unlock();
        }
    }

    private void expire(List<SmtpClient> stale) {
        long now = System.nanoTime();
        for (Deque<Idle> d : idle.values()) {
            while (!d.isEmpty() && now - d.peekFirst().since() > maxIdleNanos) {
                stale.add(d.pollFirst().client());
            }
        }
        idle.values().removeIf(Deque::isEmpty);
    }

    /** Closes connections idle too long; the scheduler calls this now and then. */
    void sweep() {
        List<SmtpClient> stale = new ArrayList<>();
        lock.lock();
        try {
            expire(stale);
        } finally {
            lock.unlock();
        }
        stale.forEach(SmtpClient::close);
    }

    @Override
    public void close() {
        List<SmtpClient> all = new ArrayList<>();
        lock.lock();
        try {
            idle.values().forEach(d -> d.forEach(i -> all.add(i.client())));
            idle.clear();
        } finally {
            lock.unlock();
        }
        all.forEach(SmtpClient::close);
    }
}
