package org.postwerk.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place that makes things durable: fsync a directory so a new name in it survives a crash, with
 * concurrent requests for the same directory coalesced (group commit: one fsync covers every name created
 * before it started). Small whole files are written by {@link org.postwerk.io.DurableFile}.
 */
public final class Durable {
    private final ConcurrentHashMap<Path, DirState> dirs = new ConcurrentHashMap<>();

    /** Per-directory generation counters: requested = names waiting, completed = covered by an fsync. */
    private static final class DirState {
        final ReentrantLock lock = new ReentrantLock();
        final Condition done = lock.newCondition();
        long requested;
        long completed;
        boolean running;
    }

    /**
     * Returns when every entry created in {@code dir} before this call is durable. Callers that arrive while
     * an fsync runs wait for the next one, which one of them performs for all.
     */
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
                    fsyncDirectory(dir);
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

    /** fsync(2) on a directory: makes creations, renames and removals of its entries durable. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates the directories that are missing and makes each new one durable in its parent. */
    public static void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return; // created concurrently
        }
        if (parent != null) {
            fsyncDirectory(parent);
        }
    }
}
