package org.postwerk.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.FaultyDisk;

/** The checkpoint thread: on time, early on size, and the work it does in between. */
class CheckpointsTest {
    @TempDir
    Path root;

    @Test
    void aCheckpointComesWhenTheIntervalHasPassed() throws Exception {
        try (Journal journal = journal();
             Checkpoints c = new Checkpoints(journal, Duration.ofSeconds(1), Long.MAX_VALUE, () -> { })) {
            commit(journal, 100);
            assertThat(journal.pending()).isPositive();
            awaitEmpty(journal, Duration.ofSeconds(5));
        }
    }

    @Test
    void aCheckpointComesEarlyWhenTheJournalHoldsTheSize() throws Exception {
        try (Journal journal = journal();
             Checkpoints c = new Checkpoints(journal, Duration.ofMinutes(10), 4096, () -> { })) {
            commit(journal, 1000);
            Thread.sleep(1500); // a second's looks: under the size, no checkpoint
            assertThat(journal.pending()).as("below the size and the interval").isPositive();
            commit(journal, 5000);
            awaitEmpty(journal, Duration.ofSeconds(5));
        }
    }

    @Test
    void betweenCheckpointsItRunsTheOtherWorkAndKeepsGoingAfterAFailure() throws Exception {
        AtomicInteger looks = new AtomicInteger();
        try (Journal journal = journal();
             Checkpoints c = new Checkpoints(journal, Duration.ofMillis(500), Long.MAX_VALUE, () -> {
                 if (looks.incrementAndGet() == 1) {
                     throw new IOException("a full disk, once");
                 }
             })) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (looks.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(looks.get()).isGreaterThanOrEqualTo(3);
        }
    }

    private Journal journal() throws IOException {
        return new Journal(root.resolve("journal"), new FaultyDisk(root));
    }

    private static void commit(Journal journal, int bytes) throws IOException {
        journal.commit(RecordType.MAILDIR_DELIVERY, new ByteBuffer[] {ByteBuffer.wrap(new byte[bytes])}, List.of()).close();
    }

    /** Waits until a checkpoint has emptied the journal: nothing pending and only the new, empty segment left. */
    private void awaitEmpty(Journal journal, Duration max) throws Exception {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            try (var files = Files.list(root.resolve("journal"))) {
                if (journal.pending() == 0 && files.filter(p -> p.toString().endsWith(".log")).count() == 1) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no checkpoint within " + max);
    }
}
