package org.postwerk.queue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.postwerk.io.Disk;
import org.postwerk.journal.Journal;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue, owned by one process at a time (an exclusive lock on {@code DIR/lock}). A draft of
 * {@link #open} commits once the message and its envelope are durable: in a journal record, or fsync'd with the
 * spool directory (see {@link SpoolWriter}); concurrent commits share the fdatasync or fsync (group commit).
 * Per-recipient results come back through {@link #record}; this class turns them into state, retries, DSNs
 * and finally removal.
 */
public final class Queue implements Intake, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.queue");
    /** The operator mail log (shared vocabulary: received, queued, sent, deferred, bounced, removed). */
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("postwerk.mail");

    /** Another process (the running server) owns the spool. */
    public static final class Busy extends IOException {
        Busy(Path dir) {
            super("queue " + dir + " is in use by another process");
        }
    }

    static final Reply REMOVED = Reply.of(550, 5, 0, 0, "Removed from the queue by the operator");

    private final Spool spool;
    private final QueueSettings settings;
    private final Clock clock;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Reports reports;
    private final QueueIds ids = new QueueIds("q");
    private final SpoolWriter writer;
    private final Map<String, QueueEntry> entries = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final List<Consumer<QueueEntry>> subscribers = new CopyOnWriteArrayList<>();

    /** Takes ownership of the spool in {@code dir} and loads every entry; throws {@link Busy} when taken. */
    public Queue(Path dir, QueueSettings settings, Clock clock, Disk disk) throws IOException {
        this(dir, settings, clock, disk, null, 0);
    }

    /**
     * @param journal where new entries up to {@code journalMax} bytes are made durable (null: fsync every file);
     *     replay its records from an earlier run with {@link Spool#replay} before this constructor loads the spool
     */
    public Queue(Path dir, QueueSettings settings, Clock clock, Disk disk, Journal journal, long journalMax)
            throws IOException {
        this.spool = new Spool(dir, disk, journal);
        this.settings = settings;
        this.clock = clock;
        this.lockChannel = disk.openOrCreate(spool.dir.resolve("lock"));
        this.lock = tryLock(lockChannel);
        if (lock == null) {
            lockChannel.close();
            throw new Busy(spool.dir);
        }
        this.reports = new Reports(this, settings);
        this.writer = new SpoolWriter(spool, clock, this::committed, journalMax);
        load();
    }

    /** Null when another process, or another Queue in this JVM, holds the lock. */
    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            return null;
        }
    }

    private void load() throws IOException {
        spool.sweep(Instant.now()); // compared with file times, which are wall-clock
        for (String id : spool.ids()) {
            adopt(id);
        }
        LOG.info("queue loaded: {} entries from {}", entries.size(), spool.dir);
    }

    /** Reads an entry written by another process (or at startup); a broken one is set aside. */
    public Optional<QueueEntry> adopt(String id) throws IOException {
        if (entries.containsKey(id)) {
            return Optional.of(entries.get(id));
        }
        try {
            QueueEntry e = spool.read(id);
            entries.put(id, e);
            return Optional.of(e);
        } catch (EntryCodec.Corrupt c) {
            LOG.error("queue entry {} is corrupt ({}): moved to {}", id, c.getMessage(), spool.corrupt);
            spool.setAside(id);
            return Optional.empty();
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    /** Called with every newly committed entry (the scheduler wakes up for fresh mail). */
    public void subscribe(Consumer<QueueEntry> subscriber) {
        subscribers.add(subscriber);
    }

    public Spool spool() {
        return spool;
    }

    public Instant now() {
        return clock.instant();
    }

    /** A new id for a message the queue makes itself. */
    public String newId() {
        return ids.next(clock.millis());
    }

    @Override
    public Draft open(Envelope envelope) throws IOException {
        return writer.open(envelope);
    }

    private void committed(QueueEntry e) {
        entries.put(e.id(), e);
        MAIL_LOG.info("queued id={} from={} rcpts={} size={}", e.id(), e.envelope().reversePath(),
                e.recipients().size(), e.size());
        subscribers.forEach(s -> s.accept(e));
    }

    /** Convenience: queues a complete message (DSNs, sendmail). */
    public void submit(Envelope envelope, byte[] content) throws IOException {
        try (Draft d = open(envelope)) {
            d.out().write(content);
            d.commit();
        }
    }

    public Collection<QueueEntry> entries() {
        return List.copyOf(entries.values());
    }

    public Optional<QueueEntry> get(String id) {
        return Optional.ofNullable(entries.get(id));
    }

    public Path message(String id) {
        return spool.message(id);
    }

    /**
     * Records the results of one delivery attempt (by index into {@link QueueEntry#recipients()}), persists the
     * new state, queues the DSNs it calls for and removes the entry when it is done. Returns the entry as it is
     * now, or empty when it is gone.
     */
    public Optional<QueueEntry> record(String id, Map<Integer, Result> results) throws IOException {
        return update(id, e -> {
            QueueEntry after = Transitions.apply(e, results, clock.instant(), settings.retry());
            results.forEach((i, r) -> {
                // A courier's failures were logged with the attempt; expiry and an expansion loop are ours.
                RecipientState now = after.recipients().get(i);
                if (e.recipients().get(i).isFinal()) {
                    return;
                }
                if (r instanceof Result.Deferred && now.state() instanceof State.Expired) {
                    logBounce(after, now, "expired");
                } else if (r instanceof Result.Expanded && now.state() instanceof State.Failed) {
                    logBounce(after, now, "loop");
                }
            });
            return after;
        });
    }

    public boolean hold(String id) throws IOException {
        return update(id, e -> e.held(true)).isPresent();
    }

    public boolean release(String id) throws IOException {
        return retry(id);
    }

    /** Makes every waiting recipient due now (and releases a hold). */
    public boolean retry(String id) throws IOException {
        Instant now = clock.instant();
        return update(id, e -> e.held(false).with(e.recipients().stream()
                .map(r -> r.dueAt(now)).toList())).isPresent();
    }

    /** Fails every waiting recipient now (operator request); DSNs go out as for any failure. */
    public boolean bounce(String id) throws IOException {
        Result r = new Result.Failed(new Reason.Local(REMOVED));
        if (!entries.containsKey(id)) {
            return false;
        }
        update(id, e -> {
            Map<Integer, Result> all = new java.util.HashMap<>();
            for (int i = 0; i < e.recipients().size(); i++) {
                if (!e.recipients().get(i).isFinal()) {
                    all.put(i, r);
                }
            }
            QueueEntry after = Transitions.apply(e, all, clock.instant(), settings.retry());
            all.keySet().forEach(i -> logBounce(after, after.recipients().get(i), "operator"));
            return after;
        });
        return true;
    }

    /** The {@code bounced} line of the mail log for a failure the queue decided (same fields as a courier's). */
    private void logBounce(QueueEntry e, RecipientState r, String why) {
        MAIL_LOG.warn("bounced id={} to=<{}> relay=none ip=- tls=none delay={}s reply=\"{}\" why={}", e.id(),
                r.recipient().address(), Duration.between(e.envelope().received(), clock.instant()).toSeconds(),
                r.reason().map(x -> x.reply().toString().replace("\r\n", " / ")).orElse(""), why);
    }

    /** Removes an entry without any DSN (operator request, like postsuper -d). */
    public boolean delete(String id) throws IOException {
        ReentrantLock l = lockFor(id);
        l.lock();
        try {
            if (entries.remove(id) == null) {
                return false;
            }
            spool.remove(id);
            MAIL_LOG.info("removed id={} by=operator", id);
            return true;
        } finally {
            l.unlock();
            locks.remove(id);
        }
    }

    private Optional<QueueEntry> update(String id, UnaryOperator<QueueEntry> change) throws IOException {
        ReentrantLock l = lockFor(id);
        l.lock();
        try {
            QueueEntry before = entries.get(id);
            if (before == null) {
                return Optional.empty();
            }
            QueueEntry after = reports.send(change.apply(before));
            if (after.isDone()) {
                entries.remove(id);
                spool.remove(id);
                MAIL_LOG.info("removed id={} by=done", id);
                return Optional.empty();
            }
            spool.write(after);
            entries.put(id, after);
            return Optional.of(after);
        } finally {
            l.unlock();
            if (!entries.containsKey(id)) {
                locks.remove(id); // the entry is gone: later updates find nothing, with any lock
            }
        }
    }

    /**
     * Writes the envelope files that only the journal holds so far (entries not yet delivered); the journal
     * calls this at each checkpoint, before it makes the filesystem durable and drops the records.
     */
    public void writeJournaledEnvelopes() throws IOException {
        writeJournaledEnvelopes(Duration.ZERO);
    }

    /**
     * The same for entries placed at least {@code minAge} ago: called every second, so an entry whose first
     * delivery takes a while shows in {@code postwerk queue list}.
     */
    public void writeJournaledEnvelopes(Duration minAge) throws IOException {
        for (String id : spool.unwrittenIds(minAge)) {
            ReentrantLock l = lockFor(id);
            l.lock();
            boolean wrote = false;
            try {
                wrote = spool.writeUnwritten(id);
            } finally {
                l.unlock();
                // Nothing was waiting and the entry is not queued: it is gone (a waiting one may be committed but
                // not yet in entries, with a delivery thread already holding this lock: then the lock stays).
                if (!wrote && !entries.containsKey(id)) {
                    locks.remove(id, l);
                }
            }
        }
    }

    private ReentrantLock lockFor(String id) {
        return locks.computeIfAbsent(id, k -> new ReentrantLock());
    }

    /** The entries due at {@code now}, not held. */
    public List<QueueEntry> due(Instant now) {
        List<QueueEntry> due = new ArrayList<>();
        for (QueueEntry e : entries.values()) {
            if (!e.held() && e.recipients().stream().anyMatch(r -> r.isDue(now))) {
                due.add(e);
            }
        }
        return due;
    }

    /** True when this is a bounce to the postmaster: undeliverable ones are dropped, never bounced again. */
    boolean isDoubleBounce(Envelope env) {
        return env.sender().isEmpty() && settings.postmaster().isPresent()
                && env.recipients().stream().allMatch(r -> sameAddress(r.address(), settings.postmaster().get()));
    }

    private static boolean sameAddress(Mailbox a, Mailbox b) {
        return a.local().equalsIgnoreCase(b.local()) && a.domainKey().equals(b.domainKey());
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
