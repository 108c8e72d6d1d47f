package org.postwerk.log;

import ch.qos.logback.core.OutputStreamAppender;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Log lines to standard error (or, made with {@link #BatchedStderrAppender(Path)}, to a log file that
 * {@link #reopen} closes and opens again for logrotate), gathered in a buffer that a background thread writes out every
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
    private final Path file;
    private final long flushMillis;
    private ScheduledExecutorService flusher;

    /** Standard error: what {@link LogConfigurator} configures. */
    public BatchedStderrAppender() {
        this(new FileOutputStream(FileDescriptor.err), FLUSH_MILLIS);
    }

    /** Another stream and interval (tests). */
    BatchedStderrAppender(OutputStream target, long flushMillis) {
        this.target = target;
        this.file = null;
        this.flushMillis = flushMillis;
    }

    /** Appending to {@code file} instead ({@code [log] file}); its folder must exist. */
    public BatchedStderrAppender(Path file) {
        this.target = null;
        this.file = file;
        this.flushMillis = FLUSH_MILLIS;
    }

    /** Closes the log file and opens it again (after logrotate moved it away); nothing for standard error. */
    public void reopen() {
        if (file != null && isStarted()) {
            try {
                setOutputStream(open()); // under the appender's lock; writes out and closes the old file
            } catch (IOException e) {
                addError("cannot reopen the log file " + file, e);
            }
        }
    }

    private OutputStream open() throws IOException {
        if (file != null) {
            return new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
        }
        // Stopping the appender must not close standard error itself: only flush.
        return new BufferedOutputStream(target, 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /** Writes out every started appender's buffer: before the process exits. */
    public static void flushAll() {
        STARTED.forEach(BatchedStderrAppender::flush);
    }

    @Override
    public void start() {
        try {
            setOutputStream(open());
        } catch (IOException e) {
            addError("cannot open the log file " + file, e);
            return;
        }
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
            addError("cannot write log lines to " + (file == null ? "standard error" : file), e);
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
