package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.store.Durable;
import org.postwerk.testkit.ManualClock;

/**
 * Micro-benchmark of commit(): 4 KB messages from 1 and from 20 concurrent committers. Prints msgs/s (see the
 * surefire output) and checks every acknowledged message is there after a restart.
 */
class GroupCommitTest {
    private static final byte[] BODY = new byte[4096];

    @TempDir
    Path dir;

    @Test
    void concurrentCommitsShareFsyncsAndAllSurvive() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        double one;
        double twenty;
        try (Queue q = new Queue(dir, QueueTest.SETTINGS, new ManualClock(QueueTest.T0), new Durable())) {
            one = run(q, 1, 200, ids);
            twenty = run(q, 20, 40, ids);
        }
        System.out.printf("queue commit, 4 KB: 1 committer %.0f msgs/s, 20 committers %.0f msgs/s%n", one, twenty);
        try (Queue q = new Queue(dir, QueueTest.SETTINGS, new ManualClock(QueueTest.T0), new Durable())) {
            assertThat(q.entries()).hasSize(ids.get());
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
