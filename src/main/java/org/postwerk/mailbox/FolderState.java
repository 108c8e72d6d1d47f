package org.postwerk.mailbox;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live state of one folder, shared by every session and delivery in the process. A change is planned
 * against the newest state (including changes not yet durable, so two concurrent STOREs compose), written to
 * the {@link ChangeLog}, and published only once durable, strictly in MODSEQ order: a session never sees, and
 * a client is never told of, a change that a crash could undo, and UIDs always appear in ascending order.
 *
 * <p>Two snapshots: {@code tip} holds every planned change, {@link #current()} only published ones. Planning
 * happens under the folder's lock; waiting for the disk does not (concurrent changes share one flush).
 */
public final class FolderState {
    private final String name;
    private final ChangeLog log;
    private final Mirror mirror;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private Snapshot tip;
    private volatile Snapshot current;
    private IOException broken;
    private volatile long version;
    private final Set<Runnable> watchers = ConcurrentHashMap.newKeySet();
    private long recentClaimed; // UIDs below this were already \Recent in some session (IMAP4rev1)

    /** @param name how the change log names the folder (unique in the store, e.g. its path under the mail root) */
    public FolderState(String name, Snapshot loaded, ChangeLog log, Mirror mirror) {
        this.name = name;
        this.log = log;
        this.mirror = mirror;
        this.tip = loaded;
        this.current = loaded;
        this.recentClaimed = loaded.uidNext();
    }

    public String name() {
        return name;
    }

    /** Every published (durable) change. */
    public Snapshot current() {
        return current;
    }

    /** What one operation changes in each of its folders, and what it returns to its caller. */
    public record Plan<R>(List<Change> changes, R result, Object content) {
        public static <R> Plan<R> none(R result) {
            return new Plan<>(List.of(), result, null);
        }

        public static <R> Plan<R> of(Change change, R result) {
            return new Plan<>(List.of(change), result, null);
        }
    }

    /** Plans changes of one operation from the newest states and their next MODSEQs (one per folder). */
    @FunctionalInterface
    public interface Planner<R> {
        Plan<R> plan(List<Snapshot> tips, List<Long> nextModseqs);
    }

    /** A one-folder change. */
    public <R> R commit(java.util.function.BiFunction<Snapshot, Long, Plan<R>> planner) throws IOException {
        return commit(log, List.of(this), (tips, next) -> planner.apply(tips.get(0), next.get(0)));
    }

    /**
     * Plans, writes and publishes one operation over several folders (a MOVE: one record, both folders), and
     * returns once every change is durable and published. {@code plan.changes()} has one entry per folder, in
     * the order of {@code folders}, or none (nothing to do); a null entry leaves that folder alone.
     */
    public static <R> R commit(ChangeLog log, List<FolderState> folders, Planner<R> planner) throws IOException {
        List<FolderState> ordered = new ArrayList<>(folders);
        ordered.sort(Comparator.comparing(FolderState::name)); // one lock order: no deadlock between MOVEs
        ordered.forEach(f -> f.lock.lock());
        Shared shared;
        List<Pending> mine = new ArrayList<>();
        Plan<R> plan;
        try {
            for (FolderState f : folders) {
                if (f.broken != null) {
                    throw new IOException("folder unavailable after an earlier I/O error", f.broken);
                }
            }
            plan = planner.plan(folders.stream().map(f -> f.tip).toList(),
                    folders.stream().map(f -> f.tip.highestModseq() + 1).toList());
            if (plan.changes().isEmpty()) {
                return plan.result();
            }
            List<ChangeLog.FolderChange> records = new ArrayList<>();
            List<Snapshot> tips = new ArrayList<>();
            for (int i = 0; i < folders.size(); i++) {
                Change c = plan.changes().get(i);
                FolderState f = folders.get(i);
                tips.add(c == null ? null : f.tip.apply(c)); // validates before anything is written
                if (c != null) {
                    records.add(new ChangeLog.FolderChange(f.name, f.tip.uidValidity(), c));
                }
            }
            ChangeLog.Written written = log.append(records, plan.content());
            shared = new Shared(written, records.size());
            for (int i = 0; i < folders.size(); i++) {
                Change c = plan.changes().get(i);
                if (c != null) {
                    FolderState f = folders.get(i);
                    Pending p = new Pending(f, c, tips.get(i), shared);
                    f.tip = tips.get(i);
                    f.pending.add(p);
                    mine.add(p);
                }
            }
        } finally {
            ordered.forEach(f -> f.lock.unlock());
        }
        try {
            shared.written.awaitDurable();
        } catch (IOException | RuntimeException e) {
            for (Pending p : mine) {
                p.folder().fail(e instanceof IOException io ? io : new IOException(e));
            }
            throw e;
        }
        for (Pending p : mine) {
            p.durable = true;
        }
        for (int i = 0, j = 0; i < folders.size(); i++) {
            if (plan.changes().get(i) != null) {
                folders.get(i).publishThrough(mine.get(j++));
            }
        }
        return plan.result();
    }

    /** Publishes durable changes in order until {@code p} is published (waiting for older ones to be durable). */
    private void publishThrough(Pending p) throws IOException {
        boolean news = false;
        lock.lock();
        try {
            while (!p.published) {
                if (broken != null) {
                    throw new IOException("folder unavailable after an earlier I/O error", broken);
                }
                Pending head = pending.peek();
                if (head != null && head.durable) {
                    pending.poll();
                    Snapshot before = current;
                    current = head.after;
                    mirror.apply(head.change, before);
                    head.published = true;
                    head.shared.onePublished();
                    version++;
                    news = true;
                    changed.signalAll();
                } else {
                    changed.awaitUninterruptibly();
                }
            }
        } finally {
            lock.unlock();
            if (news) {
                tellWatchers();
            }
        }
    }

    private void fail(IOException e) {
        lock.lock();
        try {
            if (broken == null) {
                broken = e;
            }
            // Nothing queued here will be published: let the journal's checkpoint stop waiting for it.
            for (Pending p : pending) {
                if (!p.published) {
                    p.published = true;
                    p.shared.onePublished();
                }
            }
            pending.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Claims \Recent (IMAP4rev1) for the messages with UIDs from the last claim up to {@code uidNext}: only the
     * first session to see a new message gets it as recent. Returns the lowest UID that is recent for the
     * caller (nothing is when it equals {@code uidNext}).
     */
    public long claimRecent(long uidNext) {
        lock.lock();
        try {
            long from = Math.min(recentClaimed, uidNext);
            recentClaimed = Math.max(recentClaimed, uidNext);
            return from;
        } finally {
            lock.unlock();
        }
    }

    /** Counts publications and pokes: a session that saw version v has news when it is higher. */
    public long version() {
        return version;
    }

    /** Tells every watcher that the folder may have changed (e.g. new files were delivered: they should sync). */
    public void poke() {
        lock.lock();
        try {
            version++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        tellWatchers();
    }

    /** A registration of {@link #watch}: closing it stops the calls. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Calls {@code watcher} after every change from now on, until the returned watch is closed: IDLE sessions
     * hear of changes this way without a thread of their own waiting in {@link #awaitVersion}. It runs on the
     * thread that published the change, outside the folder's lock, so it must return at once (e.g. start a
     * virtual thread that reports the change).
     */
    public Watch watch(Runnable watcher) {
        watchers.add(watcher);
        return () -> watchers.remove(watcher);
    }

    private void tellWatchers() {
        for (Runnable w : watchers) {
            w.run();
        }
    }

    private static final class Pending {
        final FolderState folder;
        final Change change;
        final Snapshot after;
        final Shared shared;
        volatile boolean durable;
        boolean published; // guarded by lock

        Pending(FolderState folder, Change change, Snapshot after, Shared shared) {
            this.folder = folder;
            this.change = change;
            this.after = after;
            this.shared = shared;
        }

        FolderState folder() {
            return folder;
        }
    }

    /** One record's changes across folders: the journal learns it is applied when all are published. */
    private static final class Shared {
        final ChangeLog.Written written;
        final AtomicInteger left;

        Shared(ChangeLog.Written written, int changes) {
            this.written = written;
            this.left = new AtomicInteger(changes);
        }

        void onePublished() {
            if (left.decrementAndGet() == 0) {
                written.applied();
            }
        }
    }
}
