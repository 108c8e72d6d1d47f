package org.postwerk.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Directory fsyncs shared by concurrent callers (group commit): a caller that arrives while an fsync of the same
 * directory runs waits for the next one, which one of the waiters performs for all; it covers every name
 * created before it started. For the commits that do not go through the journal.
 */
public final class GroupSync {
    private final Disk disk;
    private final ConcurrentHashMap<Path, DirState> dirs = new ConcurrentHashMap<>();

    /** Per-directory generation counters: requested = names waiting, completed = covered by an fsync. */
    private static final class DirState {
        final ReentrantLock lock = new ReentrantLock();
        final Condition done = lock.newCondition();
        long requested;
        long completed;
        boolean running;
    }

    public GroupSync(Disk disk) {
        this.disk = disk;
    }

    /** Returns when every entry created in {@code dir} before this call is durable. */
    public void syncDirectory(Path dir) throws IOException {
        DirState s = dirs.computeIfAbsent(dir, d -> new DirState());
        s.lock.lock();
        try {
            long mine = ++s.requested;
            while (s.completed < mine) {
                if (s.running) {
                    s.done.awaitUninterruptibly();
                    continue;
                }
                s.running = true;
                long covers = s.requested;
                s.lock.unlock();
                boolean ok = false;
                try {
                    disk.syncDirectory(dir);
                    ok = true;
                } finally {
                    s.lock.lock();
                    s.running = false;
                    if (ok) {
                        s.completed = Math.max(s.completed, covers);
                    }
                    s.done.signalAll();
                }
            }
        } finally {
            s.lock.unlock();
        }
    }
}
