package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.postwerk.queue.QueueTest.envelope;
import static org.postwerk.queue.QueueTest.rcpt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.journal.Journal;
import org.postwerk.testkit.FaultyDisk;
import org.postwerk.testkit.FaultyDisk.Op;
import org.postwerk.testkit.ManualClock;

/**
 * Queue commits on a failing disk — EIO on an fsync or fdatasync, ENOSPC on a write — through the journal and
 * without it, then a power cut ({@link FaultyDisk#powerCut}) and the next start's replay: every entry whose
 * commit returned is queued with its whole message, and no other.
 */
class SpoolFaultTest {
    private static final long JOURNAL_MAX = 4096;

    @TempDir
    Path root;
    Path queueDir;
    Path journalDir;
    FaultyDisk disk;
    final ManualClock clock = new ManualClock(QueueTest.T0);

    @BeforeEach
    void disk() throws IOException {
        queueDir = root.resolve("queue");
        journalDir = root.resolve("journal");
        disk = new FaultyDisk(root);
    }

    @Test
    void aFailedEnvelopeFsyncOrSpoolSyncLeavesNoEntryBehind() throws IOException {
        try (Queue q = new Queue(queueDir, QueueTest.SETTINGS, clock, disk)) {
            disk.failNext(Op.FSYNC, queueDir.resolve("tmp").resolve("e1.env"));
            assertThatThrownBy(() -> submit(q, "e1", 100)).hasMessageContaining("Input/output");
            disk.failNext(Op.SYNC_DIRECTORY, queueDir);
            assertThatThrownBy(() -> submit(q, "e2", 100)).hasMessageContaining("Input/output");
            assertThat(q.entries()).isEmpty();
        }
        try (Queue q = new Queue(queueDir, QueueTest.SETTINGS, clock, disk)) {
            assertThat(q.entries()).as("the client was told to retry: not delivered as well").isEmpty();
        }
        try (var files = Files.list(queueDir)) {
            assertThat(files.filter(p -> p.toString().endsWith(".eml") || p.toString().endsWith(".env"))).isEmpty();
        }
    }

    @Test
    void everyAcknowledgedEntrySurvivesAPowerCutWhateverFailedOnTheWay() throws IOException {
        Journal journal = new Journal(journalDir, disk);
        Queue q = new Queue(queueDir, QueueTest.SETTINGS, clock, disk, journal, JOURNAL_MAX);
        journal.beforeSync(q::writeJournaledEnvelopes);
        Map<String, String> acknowledged = new HashMap<>();
        int failed = 0;
        for (int i = 0; i < 60; i++) {
            String id = "m" + i;
            switch (i % 6) {
                case 1 -> disk.failNext(Op.WRITE, queueDir);
                case 2 -> disk.failNext(Op.FSYNC, queueDir.resolve("tmp").resolve(id + ".eml"));
                case 3 -> disk.failNext(Op.FSYNC, queueDir.resolve("tmp").resolve(id + ".env"));
                case 4 -> disk.failNext(Op.WRITE, journalDir);
                case 5 -> disk.failNext(Op.SYNC_DIRECTORY, queueDir);
                default -> { }
            }
            if (i == 46) {
                disk.failNext(Op.FDATASYNC, journalDir); // from here on only large messages are accepted
            }
            if (i == 30) {
                journal.checkpoint(); // half of them made durable by the filesystem sync, the rest by the records
            }
            try {
                // Small messages are journaled, every fifth is larger than the journal's limit: fsync'd in place.
                acknowledged.put(id, submit(q, id, i % 5 == 0 ? 2 * JOURNAL_MAX : 200));
            } catch (IOException e) {
                failed++;
            }
            disk.heal(); // a fault that did not hit this commit is not left for the next one
        }
        assertThat(failed).as("commits that failed").isBetween(20, 45);

        disk.powerCut();
        try (Journal restarted = new Journal(journalDir, disk)) {
            restarted.recover(new Spool(queueDir, disk)::replay);
        }

        try (Queue after = new Queue(queueDir, QueueTest.SETTINGS, clock, disk)) {
            assertThat(after.entries()).extracting(QueueEntry::id)
                    .containsExactlyInAnyOrderElementsOf(acknowledged.keySet());
            for (QueueEntry e : after.entries()) {
                assertThat(Files.readString(after.message(e.id()), StandardCharsets.US_ASCII))
                        .isEqualTo(acknowledged.get(e.id()));
                assertThat(e.size()).isEqualTo(acknowledged.get(e.id()).length());
            }
        }
    }

    private static String submit(Queue q, String id, long size) throws IOException {
        StringBuilder b = new StringBuilder("Subject: " + id + "\r\n\r\n");
        while (b.length() < size) {
            b.append("line of message ").append(id).append("\r\n");
        }
        q.submit(envelope(id, "a@example.org", rcpt("b@example.net")), b.toString().getBytes(StandardCharsets.US_ASCII));
        return b.toString();
    }
}
