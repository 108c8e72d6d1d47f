package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.io.PosixDisk;
import org.postwerk.journal.Journal;
import org.postwerk.testkit.FaultyDisk;
import org.postwerk.testkit.FaultyDisk.Op;
import org.postwerk.testkit.ManualClock;

/**
 * Group commit: concurrent commits share their syncs, counted at the {@code Disk} seam. Each sync is made slow
 * (100 ms), so that fifty sessions committing at once must find one running and wait for the next: without
 * sharing there would be one sync each. Also a micro-benchmark of commit() on the real disk (msgs/s in the
 * surefire output).
 */
class GroupCommitTest {
    private static final byte[] BODY = new byte[4096];
    private static final int COMMITS = 50;
    private static final Duration SLOW = Duration.ofMillis(100);

    @TempDir
    Path dir;

    @Test
    void fiftyConcurrentJournaledCommitsShareAFewFdatasyncs() throws Exception {
        FaultyDisk disk = new FaultyDisk(dir);
        disk.slowSyncs(SLOW);
        Journal journal = new Journal(dir.resolve("journal"), disk);
        try (Queue q = new Queue(dir.resolve("queue"), QueueTest.SETTINGS, clock(), disk, journal, 1 << 20)) {
            journal.beforeSync(q::writeJournaledEnvelopes);
            int fdatasyncs = disk.count(Op.FDATASYNC);
            int fsyncs = disk.count(Op.FSYNC);

            commitTogether(q, COMMITS, new AtomicInteger());

            assertThat(disk.count(Op.FDATASYNC) - fdatasyncs).as("journal fdatasyncs for %d commits", COMMITS)
                    .isBetween(1, COMMITS / 5);
            assertThat(disk.count(Op.FSYNC) - fsyncs).as("no file fsync'd: the records stand for them").isZero();
            journal.close();
        }
        try (Queue q = new Queue(dir.resolve("queue"), QueueTest.SETTINGS, clock(), disk)) {
            assertThat(q.entries()).hasSize(COMMITS);
        }
    }

    @Test
    void fiftyConcurrentCommitsWithoutJournalShareAFewDirectoryFsyncs() throws Exception {
        FaultyDisk disk = new FaultyDisk(dir);
        disk.slowSyncs(SLOW);
        try (Queue q = new Queue(dir.resolve("queue"), QueueTest.SETTINGS, clock(), disk)) {
            int dirSyncs = disk.count(Op.SYNC_DIRECTORY);
            int fsyncs = disk.count(Op.FSYNC);

            commitTogether(q, COMMITS, new AtomicInteger());

            assertThat(disk.count(Op.SYNC_DIRECTORY) - dirSyncs).as("spool directory fsyncs for %d commits", COMMITS)
                    .isBetween(1, COMMITS / 5);
            assertThat(disk.count(Op.FSYNC) - fsyncs).as("message and envelope of each, not shared")
                    .isEqualTo(2 * COMMITS);
        }
    }

    @Test
    void commitThroughputOnTheRealDiskAndAllSurvive() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        double one;
        double twenty;
        try (Queue q = new Queue(dir, QueueTest.SETTINGS, clock(), new PosixDisk())) {
            one = run(q, 1, 200, ids);
            twenty = run(q, 20, 40, ids);
        }
        System.out.printf("queue commit, 4 KB: 1 committer %.0f msgs/s, 20 committers %.0f msgs/s%n", one, twenty);
        try (Queue q = new Queue(dir, QueueTest.SETTINGS, clock(), new PosixDisk())) {
            assertThat(q.entries()).hasSize(ids.get());
        }
    }

    private static ManualClock clock() {
        return new ManualClock(QueueTest.T0);
    }

    /** {@code n} threads line up, then each commits one message at the same moment. */
    private static void commitTogether(Queue q, int n, AtomicInteger ids) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                fs.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    commit(q, "g" + ids.incrementAndGet());
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static double run(Queue q, int threads, int perThread, AtomicInteger ids) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            fs.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    commit(q, "b" + ids.incrementAndGet());
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
        return threads * perThread / ((System.nanoTime() - start) / 1e9);
    }

    private static void commit(Queue q, String id) throws IOException {
        q.submit(QueueTest.envelope(id, "a@example.org", QueueTest.rcpt("b@example.net")), BODY);
    }
}
