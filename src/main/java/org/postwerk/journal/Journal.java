package org.postwerk.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.io.Disk;

/**
 * The write-ahead journal (ADR 0007). {@link #commit} appends one record to the current {@link Segment} and
 * returns when the segment is fdatasync'd: concurrent commits share one fdatasync (group commit), so twenty
 * sessions pay about one disk flush instead of forty (a Maildir file and its directory each). The caller then
 * writes the record's files without fsync and closes the {@link Ticket}; {@link MessageFile} does all of that.
 *
 * <p>{@link #checkpoint} starts a new segment, waits until every ticket of the old ones is closed (their files
 * are written), makes the filesystems durable ({@link Disk#syncFileSystems}) and deletes the old segments.
 * After a crash, {@link #recover} hands every record of the segments left over to a {@link Replayer}
 * ({@link Recovery}). Records are framed and checked by {@link RecordCodec}.
 */
public final class Journal implements AutoCloseable {
    /**
     * Re-creates what the records of an earlier run describe (all of them, oldest first; they may be iterated
     * again, so a later record can cancel an earlier one); returns the paths it found or wrote, for the
     * filesystem sync that follows. Each iteration reads the records from disk: they need not fit in memory.
     */
    @FunctionalInterface
    public interface Replayer {
        Collection<Path> replay(Iterable<Entry> entries) throws IOException;
    }

    /** Work a checkpoint does before its filesystem sync, such as writing files the records stood in for. */
    @FunctionalInterface
    public interface BeforeSync {
        void run() throws IOException;
    }

    /** Closed when the committed record's files are written (and visible); a checkpoint waits for that. */
    public interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    private final Path dir;
    private final Disk disk;
    private final Failure failure = new Failure();
    private final JournalMeters meters;
    private final Recovery recovery;
    private final ReentrantLock appendLock = new ReentrantLock();
    private Segment current;                                  // guarded by appendLock
    private final List<Segment> sealed = new ArrayList<>();   // guarded by appendLock
    private final ReentrantLock checkpointLock = new ReentrantLock();
    private final List<BeforeSync> beforeSync = new CopyOnWriteArrayList<>();
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** Opens the journal in {@code dir}: a new segment after any left over (replay those with {@link #recover}). */
    public Journal(Path dir, Disk disk) throws IOException {
        this(dir, disk, JournalMeters.NONE);
    }

    /** The same, with {@code meters} timing the commits and counting the records of each fdatasync. */
    public Journal(Path dir, Disk disk, JournalMeters meters) throws IOException {
        this.meters = meters;
        this.dir = dir.toAbsolutePath();
        this.disk = disk;
        disk.createDirectories(this.dir);
        this.lockChannel = disk.openOrCreate(this.dir.resolve("lock"));
        this.lock = tryLock(lockChannel, this.dir);
        try {
            this.recovery = new Recovery(this.dir, disk);
            this.current = newSegment(recovery.scan() + 1);
        } catch (IOException | RuntimeException e) {
            release();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch, Path dir) throws IOException {
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            ch.close();
            throw new IOException("journal " + dir + " is in use in this process");
        }
        if (l == null) {
            ch.close();
            throw new IOException("journal " + dir + " is in use by another process");
        }
        return l;
    }

    /** Bytes in the current segment: a checkpoint is due early when they pass the configured size. */
    public long pending() {
        appendLock.lock();
        try {
            return current.appended;
        } finally {
            appendLock.unlock();
        }
    }

    /** False after a fatal I/O error: no more commits until a restart (for the operators' health check). */
    public boolean writable() {
        return !failure.failed();
    }

    /** Adds work that every checkpoint does after the old records' files are placed and before the sync. */
    public void beforeSync(BeforeSync work) {
        beforeSync.add(work);
    }

    /** Appends a record and returns when it is durable. The ticket must be closed once its files are written. */
    public Ticket commit(RecordType type, ByteBuffer[] parts, Collection<Path> touched) throws IOException {
        Pending p = begin(type, parts, touched);
        p.awaitDurable();
        return p;
    }

    /**
     * Appends a record and returns at once, for a caller that must append in order under its own lock and
     * wait for the disk outside it (the mailbox folders): {@link Pending#awaitDurable} then waits, sharing
     * the flush with everyone else's records. Close the ticket once the record's files are written.
     */
    public Pending begin(RecordType type, ByteBuffer[] parts, Collection<Path> touched) throws IOException {
        long start = System.nanoTime();
        return new Pending(write(type, parts, touched, true), start, meters);
    }

    /** A record written but perhaps not yet durable; also its ticket. */
    public static final class Pending implements Ticket {
        private final Written written;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final long start;
        private final JournalMeters meters;

        private Pending(Written written, long start, JournalMeters meters) {
            this.written = written;
            this.start = start;
            this.meters = meters;
        }

        /** Returns once the record is durable. On an I/O error the ticket is closed (nothing will follow). */
        public void awaitDurable() throws IOException {
            try {
                written.segment().syncTo(written.end());
                meters.committed(System.nanoTime() - start);
            } catch (IOException | RuntimeException | Error e) {
                close(); // never leave a ticket open: a checkpoint would wait for it forever
                throw e;
            }
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                written.segment().closeTicket();
            }
        }
    }

    /**
     * Appends a record without waiting for it to be durable: for facts whose loss costs at most a duplicate
     * (a queue entry is finished). The next commit's fdatasync, or the next checkpoint, makes it durable.
     */
    public void append(RecordType type, ByteBuffer[] parts, Collection<Path> touched) throws IOException {
        write(type, parts, touched, false);
    }

    private record Written(Segment segment, long end) {}

    /** Writes one record into the current segment; returns where it ends there. */
    private Written write(RecordType type, ByteBuffer[] parts, Collection<Path> touched, boolean ticket)
            throws IOException {
        failure.check();
        ByteBuffer[] record = RecordCodec.encode(type, parts);
        appendLock.lock();
        try {
            Segment seg = current;
            long end = seg.append(record, RecordCodec.size(record));
            for (Path p : touched) {
                Path folder = p.toAbsolutePath().getParent();
                seg.folders.add(folder != null ? folder : p);
            }
            if (ticket) {
                seg.openTicket();
            }
            return new Written(seg, end);
        } finally {
            appendLock.unlock();
        }
    }

    /**
     * Replays the segments left by an earlier run, oldest first, then makes the filesystems durable and
     * deletes them. Call once, before the first commit whose files the replay might touch.
     */
    public int recover(Replayer replayer) throws IOException {
        return recovery.recover(replayer);
    }

    /**
     * Starts a new segment; once every record of the older ones has its files written, makes the filesystems
     * durable and deletes those segments. Cheap when nothing was committed since the last checkpoint.
     */
    public void checkpoint() throws IOException {
        checkpointLock.lock();
        try {
            List<Segment> old = seal();
            if (old.isEmpty()) {
                return;
            }
            Set<Path> touched = new LinkedHashSet<>();
            for (Segment s : old) {
                s.awaitTickets();
                touched.addAll(s.folders);
            }
            for (BeforeSync work : beforeSync) {
                work.run();
            }
            try {
                disk.syncFileSystems(touched);
            } catch (IOException | RuntimeException e) {
                // As after a failed fdatasync: keep the segments for the next start's replay, accept no more mail.
                failure.record(e instanceof IOException io ? io : new IOException(e));
                throw e;
            }
            for (Segment s : old) {
                s.channel.close();
                Files.deleteIfExists(s.path);
            }
            appendLock.lock();
            try {
                sealed.removeAll(old);
            } finally {
                appendLock.unlock();
            }
        } finally {
            checkpointLock.unlock();
        }
    }

    /** Seals the current segment if it holds records; returns every sealed segment. */
    private List<Segment> seal() throws IOException {
        appendLock.lock();
        try {
            if (current.appended > 0) {
                Segment next = newSegment(current.seq + 1); // first: a failure here changes nothing
                sealed.add(current);
                current = next;
            }
            return List.copyOf(sealed);
        } finally {
            appendLock.unlock();
        }
    }

    /** A final checkpoint: everything committed is in its files, durably, and the journal is empty. */
    @Override
    public void close() throws IOException {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            closeSegments(); // they stay for the next start's recovery
            release();
            throw e;
        }
        appendLock.lock();
        try {
            current.channel.close();
            if (current.appended == 0) {
                Files.deleteIfExists(current.path);
            }
        } finally {
            appendLock.unlock();
            release();
        }
    }

    private void closeSegments() throws IOException {
        appendLock.lock();
        try {
            current.channel.close();
            for (Segment s : sealed) {
                s.channel.close();
            }
        } finally {
            appendLock.unlock();
        }
    }

    private void release() throws IOException {
        lock.release();
        lockChannel.close();
    }

    private Segment newSegment(long seq) throws IOException {
        Path p = segmentPath(dir, seq);
        FileChannel ch = disk.create(p);
        try {
            disk.syncDirectory(dir); // the segment's name must survive before any record in it is acknowledged
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(p); // so the next attempt can create it
            throw e;
        }
        return new Segment(seq, p, ch, disk, failure, appendLock, meters);
    }

    static Path segmentPath(Path dir, long seq) {
        return dir.resolve(String.format("%016d.log", seq));
    }
}
