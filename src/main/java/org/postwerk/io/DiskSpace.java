package org.postwerk.io;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the file system that holds the data folder has room for more mail, so that the SMTP session can say
 * {@code 452 4.3.1} at MAIL or RCPT instead of after the whole message was sent. A reserve always stays free
 * (for messages being written right now, the journal, the queue's envelopes). The figure is read at most once
 * per {@code maxAge}: a statvfs per command would cost more than it tells, and a few hundred milliseconds of
 * staleness is what the reserve is for.
 */
public final class DiskSpace {
    private static final Logger LOG = LoggerFactory.getLogger(DiskSpace.class);

    /** Where the figure comes from: the file system, or a fake in tests. */
    @FunctionalInterface
    public interface Source {
        /** Bytes an unprivileged process may still write. */
        long usableBytes() throws IOException;
    }

    private record Reading(long usable, long atNanos) {}

    private final Source source;
    private final long reserve;
    private final long maxAgeNanos;
    private final LongSupplier nanoTime;
    private volatile Reading last;

    /**
     * @param reserve  bytes that must stay free after a message of the announced size
     * @param maxAge   how long a reading is used before the next one
     * @param nanoTime the monotonic clock ({@code System::nanoTime})
     */
    public DiskSpace(Source source, long reserve, Duration maxAge, LongSupplier nanoTime) {
        this.source = source;
        this.reserve = reserve;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The file system holding {@code dir}, read at most once a second. */
    public static DiskSpace of(Path dir, long reserve) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return new DiskSpace(store::getUsableSpace, reserve, Duration.ofSeconds(1), System::nanoTime);
    }

    /**
     * True when {@code bytes} more would still leave the reserve free. A figure that cannot be read counts as
     * room (and is logged): refusing all mail on a failed statvfs would be worse than the write failing later,
     * which the session reports with a 451 and nothing acknowledged is lost.
     */
    public boolean hasRoomFor(long bytes) {
        long now = nanoTime.getAsLong();
        Reading r = last;
        if (r == null || now - r.atNanos() >= maxAgeNanos) {
            try {
                r = new Reading(source.usableBytes(), now);
            } catch (IOException e) {
                LOG.warn("free disk space unknown, accepting mail anyway: {}", e.toString());
                r = new Reading(Long.MAX_VALUE, now);
            }
            last = r; // racing readers may both read; either figure is fresh
        }
        return r.usable() - Math.max(0, bytes) >= reserve;
    }
}
