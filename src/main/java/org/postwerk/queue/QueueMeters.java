package org.postwerk.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code postwerk_queue_entries{state}}: the messages in the queue by state, counted when scraped (at most once
 * a second, whatever the number of scrapers): {@code held}; {@code deferred}, at least one recipient tried and
 * failed temporarily; {@code pending}, not tried yet. Counting walks the entries, so nothing on the
 * delivery path pays for it.
 */
public final class QueueMeters {
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final Queue queue;
    private final ReentrantLock lock = new ReentrantLock();
    private long countedAt; // guarded by lock
    private boolean counted; // guarded by lock
    private long held;
    private long deferred;
    private long pending;

    private QueueMeters(Queue queue) {
        this.queue = queue;
    }

    /** Registers the gauges of {@code queue}. */
    public static void register(MeterRegistry registry, Queue queue) {
        QueueMeters m = new QueueMeters(queue);
        gauge(registry, m, "held");
        gauge(registry, m, "deferred");
        gauge(registry, m, "pending");
    }

    private static void gauge(MeterRegistry registry, QueueMeters m, String state) {
        Gauge.builder("postwerk.queue.entries", m, q -> q.count(state)).tag("state", state)
                .description("Messages in the queue by state").register(registry);
    }

    private double count(String state) {
        lock.lock();
        try {
            long now = System.nanoTime();
            if (!counted || now - countedAt > FRESH_NANOS) {
                recount();
                countedAt = now;
                counted = true;
            }
            return switch (state) {
                case "held" -> held;
                case "deferred" -> deferred;
                default -> pending;
            };
        } finally {
            lock.unlock();
        }
    }

    private void recount() {
        held = 0;
        deferred = 0;
        pending = 0;
        for (QueueEntry e : queue.entries()) {
            if (e.held()) {
                held++;
            } else if (e.recipients().stream().anyMatch(r -> r.state() instanceof State.Deferred)) {
                deferred++;
            } else {
                pending++;
            }
        }
    }
}
