package org.postwerk.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.io.Disk;

/**
 * One segment file {@code NNNNNNNNNNNNNNNN.log} being written: records are appended under the journal's append
 * lock; one fdatasync makes every record appended so far durable for all who wait (group commit); tickets count
 * the records whose files are not placed yet.
 */
final class Segment {
    private static final long EXTEND = 1 << 20;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    final long seq;
    final Path path;
    final FileChannel channel;
    // Guarded by appendLock: the folders of the files the records stand for, which a checkpoint makes durable.
    // Folders, not the files: a checkpoint interval's file names were held until the checkpoint, long enough to
    // reach the old generation and grow it (a heap histogram after a bench S1 round: 43,000 paths, ~12 MB).
    final Set<Path> folders = new HashSet<>();
    volatile long appended;                      // written under appendLock
    private volatile long records;               // written under appendLock: records appended
    private long durableRecords;                 // guarded by syncLock
    private final JournalMeters meters;
    private long allocated;                      // guarded by appendLock: zero-filled up to here
    private int openTickets;                     // guarded by appendLock
    private final Disk disk;
    private final Failure failure;
    private final ReentrantLock appendLock;
    private final Condition ticketsDone;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition synced = syncLock.newCondition();
    private long durable;                        // guarded by syncLock
    private boolean syncing;                     // guarded by syncLock

    Segment(long seq, Path path, FileChannel channel, Disk disk, Failure failure, ReentrantLock appendLock,
            JournalMeters meters) {
        this.meters = meters;
        this.seq = seq;
        this.path = path;
        this.channel = channel;
        this.disk = disk;
        this.failure = failure;
        this.appendLock = appendLock;
        this.ticketsDone = appendLock.newCondition();
    }

    /**
     * Writes a whole record (the caller holds the append lock) and returns where it ends; on failure takes it
     * back, so that no torn record hides later ones from a replay.
     */
    long append(ByteBuffer[] buffers, long length) throws IOException {
        long start = appended;
        try {
            if (start + length > allocated) {
                extend(start + length);
            }
            channel.position(start);
            long written = 0;
            while (written < length) {
                written += channel.write(buffers);
            }
        } catch (IOException e) {
            try {
                channel.truncate(start);
                channel.position(start);
                allocated = start;
            } catch (IOException again) {
                failure.record(again); // a torn record would hide every later one from recovery
            }
            throw e;
        }
        appended = start + length;
        records++; // only under the append lock
        return appended;
    }

    /**
     * Writes zeros ahead of the records, a mebibyte at a time, so that most fdatasyncs overwrite blocks the file
     * already has and need not write its inode too: on this project's VM that halves an fdatasync (about 110
     * instead of 220 microseconds for 4 KiB). A replay stops at the zeros.
     */
    private void extend(long needed) throws IOException {
        long target = Math.max(needed, allocated + EXTEND);
        long pos = allocated;
        while (pos < target) {
            ByteBuffer z = ZEROS.duplicate();
            z.limit((int) Math.min(z.capacity(), target - pos));
            pos += channel.write(z, pos);
        }
        allocated = target;
    }

    /** Returns when the segment is durable up to {@code end}; one caller fdatasyncs for all who wait. */
    void syncTo(long end) throws IOException {
        syncLock.lock();
        try {
            while (durable < end) {
                failure.check();
                if (syncing) {
                    synced.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long covers = appended;
                long coversRecords = records;
                syncLock.unlock();
                boolean ok = false;
                try {
                    disk.fdatasync(channel);
                    ok = true;
                } catch (IOException e) {
                    failure.record(e); // never retried: see Failure
                    throw e;
                } finally {
                    syncLock.lock();
                    syncing = false;
                    if (ok) {
                        durable = Math.max(durable, covers);
                        if (coversRecords > durableRecords) {
                            meters.synced(coversRecords - durableRecords);
                            durableRecords = coversRecords;
                        }
                    }
                    synced.signalAll();
                }
            }
        } finally {
            syncLock.unlock();
        }
    }

    /** One more record whose files are still to be placed (the caller holds the append lock). */
    void openTicket() {
        openTickets++;
    }

    void closeTicket() {
        appendLock.lock();
        try {
            if (--openTickets == 0) {
                ticketsDone.signalAll();
            }
        } finally {
            appendLock.unlock();
        }
    }

    /** Returns once every record's files are placed: then a filesystem sync covers them. */
    void awaitTickets() {
        appendLock.lock();
        try {
            while (openTickets > 0) {
                ticketsDone.awaitUninterruptibly();
            }
        } finally {
            appendLock.unlock();
        }
    }
}
