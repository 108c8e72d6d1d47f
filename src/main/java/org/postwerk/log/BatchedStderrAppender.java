package org.postwerk.log;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Log lines to standard error, gathered in a buffer that a background thread writes out every
 * {@value #FLUSH_MILLIS} ms (and whenever it fills). Logback's console appender makes one {@code write(2)} per
 * line; at thousands of messages a second, three to eight lines each, those calls cost the server about a
 * tenth of its CPU. A line reaches the terminal or journal at most {@value #FLUSH_MILLIS} ms late; on a
 * clean stop the buffer is written out, and a kill -9 loses at most that much logging (never mail: the mail
 * log is not where durability lives). The process writes the buffer out before it exits ({@link #flushAll},
 * from {@code Main} and from the server's shutdown).
 */
public final class BatchedStderrAppender<E> extends OutputStreamAppender<E> {
    static final long FLUSH_MILLIS = 100;
    private static final java.util.Set<BatchedStderrAppender<?>> STARTED =
            new java.util.concurrent.CopyOnWriteArraySet<>();

    private final OutputStream target;
    private final long flushMillis;
    private ScheduledExecutorService flusher;

    /** Standard error: what logback.xml configures. */
    public BatchedStderrAppender() {
        this(new FileOutputStream(FileDescriptor.err), FLUSH_MILLIS);
    }

    /** Another stream and interval (tests). */
    BatchedStderrAppender(OutputStream target, long flushMillis) {
        this.target = target;
        this.flushMillis = flushMillis;
    }

    /** Writes out every started appender's buffer: before the process exits. */
    public static void flushAll() {
        STARTED.forEach(BatchedStderrAppender::flush);
    }

    @Override
    public void start() {
        // Stopping the appender must not close standard error itself: only flush.
        setOutputStream(new BufferedOutputStream(target, 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush();
            }
        });
        setImmediateFlush(false);
        super.start();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "postwerk-log-flush");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flush, flushMillis, flushMillis, TimeUnit.MILLISECONDS);
        STARTED.add(this);
    }

    /** Writes out what is buffered. */
    public void flush() {
        streamWriteLock.lock();
        try {
            getOutputStream().flush();
        } catch (IOException e) {
            addError("cannot write log lines to standard error", e);
        } finally {
            streamWriteLock.unlock();
        }
    }

    @Override
    public void stop() {
        STARTED.remove(this);
        if (flusher != null) {
            flusher.shutdownNow();
        }
        if (isStarted()) {
            flush();
        }
        super.stop();
    }
}
