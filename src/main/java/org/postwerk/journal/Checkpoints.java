package org.postwerk.journal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that checkpoints a journal: every {@code interval}, or sooner once the journal holds
 * {@code size} bytes. It looks ten times per interval (at least once a second); at each look that is no
 * checkpoint it runs {@code meanwhile} (the queue writes envelope files of entries a second old). A failed
 * checkpoint is logged and tried again at the next one.
 */
public final class Checkpoints implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

    /** Work between checkpoints. */
    @FunctionalInterface
    public interface Meanwhile {
        void run() throws IOException;
    }

    private final Journal journal;
    private final long intervalNanos;
    private final long size;
    private final Meanwhile meanwhile;
    private final ScheduledExecutorService thread;
    private long last = System.nanoTime();

    public Checkpoints(Journal journal, Duration interval, long size, Meanwhile meanwhile) {
        this.journal = journal;
        this.intervalNanos = interval.toNanos();
        this.size = size;
        this.meanwhile = meanwhile;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postwerk-journal-checkpoint");
            t.setDaemon(true);
            return t;
        });
        long look = Math.max(1, Math.min(interval.toMillis() / 10, 1000));
        thread.scheduleWithFixedDelay(this::look, look, look, TimeUnit.MILLISECONDS);
    }

    private void look() {
        long now = System.nanoTime();
        try {
            if (now - last < intervalNanos && journal.pending() < size) {
                meanwhile.run();
                return;
            }
            last = now;
            journal.checkpoint();
        } catch (IOException | RuntimeException e) {
            LOG.error("journal checkpoint or queue envelope write failed (tried again at the next look): {}",
                    e.toString());
        }
    }

    /** Stops the thread after the checkpoint it may be running; the journal's close does the last one. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
