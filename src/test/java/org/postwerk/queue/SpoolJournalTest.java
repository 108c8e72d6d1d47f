package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postwerk.queue.QueueTest.MESSAGE;
import static org.postwerk.queue.QueueTest.envelope;
import static org.postwerk.queue.QueueTest.rcpt;
import static org.postwerk.queue.QueueTest.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.journal.Journal;
import org.postwerk.testkit.FaultyDisk;
import org.postwerk.testkit.ManualClock;

/**
 * The spool with a write-ahead journal, as a crash sees it. A "crash" is {@link FaultyDisk#kill} with no
 * checkpoint; the files its placement did not fsync are "lost" by deleting or truncating them; the next start
 * opens a new Journal on the same directory and replays its records into the spool ({@link Spool#replay}).
 */
class SpoolJournalTest {
    private static final long JOURNAL_MAX = 64 * 1024;

    @TempDir
    Path root;
    Path queueDir;
    Path journalDir;
    final ManualClock clock = new ManualClock(QueueTest.T0);

    FaultyDisk disk;

    @BeforeEach
    void paths() throws IOException {
        queueDir = root.resolve("queue");
        journalDir = root.resolve("journal");
        disk = new FaultyDisk(root);
    }

    @Test
    void anEntryWhoseFilesWereLostInACrashIsRestoredFromItsJournalRecord() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m1", "a@example.org", rcpt("b@example.net"), rcpt("c@example.net")), MESSAGE);
        assertThat(Files.readAllBytes(q.message("m1"))).isEqualTo(MESSAGE);
        assertThat(queueDir.resolve("m1.env")).as("the envelope waits: only the journal holds it").doesNotExist();
        disk.kill(); // a crash: the queue and the journal are gone with the process
        Files.delete(queueDir.resolve("m1.eml"));

        assertThat(recover()).as("records replayed").isEqualTo(1);

        assertThat(Files.readAllBytes(queueDir.resolve("m1.eml"))).isEqualTo(MESSAGE);
        assertThat(queueDir.resolve("m1.env")).isRegularFile();
        try (Queue after = queue(null, 0)) {
            QueueEntry e = after.get("m1").orElseThrow();
            assertThat(e.recipients()).extracting(r -> r.recipient().address().toString())
                    .containsExactly("b@example.net", "c@example.net");
            assertThat(e.recipients()).allSatisfy(r -> assertThat(r.state()).isInstanceOf(State.Pending.class));
            assertThat(e.size()).isEqualTo(MESSAGE.length);
        }
    }

    @Test
    void aTruncatedMessageIsRewrittenButANewerEnvelopeIsKept() throws IOException {
        Journal journal = journal();
        byte[] envAfterRetry;
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m2", "a@example.org", rcpt("b@example.net")), MESSAGE);
        q.record("m2", Map.of(0, new Result.Deferred(remote("451 4.3.0 try later", "mx [192.0.2.1]", null))));
        envAfterRetry = Files.readAllBytes(queueDir.resolve("m2.env"));
        disk.kill(); // a crash: the queue and the journal are gone with the process
        assertThat(new String(envAfterRetry, java.nio.charset.StandardCharsets.UTF_8)).contains("status: deferred");
        Files.write(queueDir.resolve("m2.eml"), Arrays.copyOf(MESSAGE, 10));

        assertThat(recover()).isEqualTo(1);

        assertThat(Files.readAllBytes(queueDir.resolve("m2.eml"))).isEqualTo(MESSAGE);
        assertThat(Files.readAllBytes(queueDir.resolve("m2.env")))
                .as("the envelope holds newer state than the journal record: kept as is").isEqualTo(envAfterRetry);
        try (Queue after = queue(null, 0)) {
            RecipientState b = after.get("m2").orElseThrow().recipients().get(0);
            assertThat(b.state()).isInstanceOf(State.Deferred.class);
            assertThat(b.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aWaitingEntryGetsItsEnvelopeFileOnceOldEnoughForTheQueueList() throws IOException {
        Journal journal = journal();
        try (Queue q = queue(journal, JOURNAL_MAX)) {
            q.submit(envelope("m7", "a@example.org", rcpt("b@example.net")), MESSAGE);
            q.writeJournaledEnvelopes(java.time.Duration.ofHours(1));
            assertThat(queueDir.resolve("m7.env")).as("younger than an hour: still waiting").doesNotExist();
            assertThat(q.spool().entries()).as("what postwerk queue list reads").isEmpty();

            q.writeJournaledEnvelopes(java.time.Duration.ZERO);
            assertThat(q.spool().entries()).extracting(QueueEntry::id).containsExactly("m7");
            assertThat(q.get("m7")).isPresent();
            journal.close();
        }
    }

    @Test
    void aWaitingEnvelopeThatFailedToBeWrittenIsWrittenByTheNextCheckpoint() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m8", "a@example.org", rcpt("b@example.net")), MESSAGE);
        try (var blocked = blockEnvelopeWrites("m8")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(journal::checkpoint).isInstanceOf(IOException.class);
        }
        journal.checkpoint(); // the error is gone: the envelope is written before the record goes
        assertThat(queueDir.resolve("m8.env")).isRegularFile();
        disk.kill(); // a crash: the queue and the journal are gone with the process
        try (Queue after = queue(null, 0)) {
            assertThat(after.get("m8")).isPresent();
        }
    }

    @Test
    void aStateChangeWhoseWriteFailedStillReachesTheDiskAtTheCheckpoint() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m9", "a@example.org", rcpt("b@example.net")), MESSAGE);
        try (var blocked = blockEnvelopeWrites("m9")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> q.record("m9",
                    Map.of(0, new Result.Deferred(remote("451 4.3.0 later", "mx [192.0.2.1]", null)))))
                    .isInstanceOf(IOException.class);
        }
        journal.checkpoint();
        disk.kill(); // a crash: the queue and the journal are gone with the process
        assertThat(recover()).isZero();
        try (Queue after = queue(null, 0)) {
            assertThat(after.get("m9")).as("acknowledged, so still queued").isPresent();
        }
    }

    @Test
    void anEnvelopeLeftEmptyByAPowerLossIsWrittenAgainFromTheRecord() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m10", "a@example.org", rcpt("b@example.net")), MESSAGE);
        q.writeJournaledEnvelopes(java.time.Duration.ZERO); // written without fsync
        disk.kill(); // a crash: the queue and the journal are gone with the process
        Files.write(queueDir.resolve("m10.env"), new byte[0]); // its name reached the disk, its data did not

        assertThat(recover()).isEqualTo(1);

        try (Queue after = queue(null, 0)) {
            assertThat(after.get("m10")).isPresent();
        }
        assertThat(queueDir.resolve("corrupt").resolve("m10.env")).doesNotExist();
    }

    @Test
    void aMessageFileWithItsSizeButNotItsDataIsRewritten() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m6", "a@example.org", rcpt("b@example.net")), MESSAGE);
        disk.kill(); // a crash: the queue and the journal are gone with the process
        // The size reached the disk, the data did not (a power loss before writeback): zeros.
        Files.write(queueDir.resolve("m6.eml"), new byte[MESSAGE.length]);

        assertThat(recover()).isEqualTo(1);

        assertThat(Files.readAllBytes(queueDir.resolve("m6.eml"))).isEqualTo(MESSAGE);
    }

    @Test
    void aFinishedEntryIsNotBroughtBackEvenWhenTheJournalWasAbandonedRightAfter() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("done", "a@example.org", rcpt("b@example.net"), rcpt("c@example.net")), MESSAGE);
        q.submit(envelope("kept", "a@example.org", rcpt("b@example.net")), MESSAGE);
        assertThat(q.record("done", Map.of(
                0, new Result.Delivered(remote("250 2.0.0 ok", "mx [192.0.2.1]", null), DsnDuty.FINAL),
                1, new Result.Delivered(remote("250 2.0.0 ok", "mx [192.0.2.1]", null), DsnDuty.FINAL)))).isEmpty();
        disk.kill(); // a crash: the queue and the journal are gone with the process
        assertThat(queueDir.resolve("done.eml")).doesNotExist();
        assertThat(queueDir.resolve("done.env")).doesNotExist();
        Files.delete(queueDir.resolve("kept.eml"));
        Files.deleteIfExists(queueDir.resolve("kept.env"));

        assertThat(recover()).as("two entries and one done record").isEqualTo(3);

        assertThat(queueDir.resolve("done.eml")).doesNotExist();
        assertThat(queueDir.resolve("done.env")).doesNotExist();
        assertThat(queueDir.resolve("kept.env")).as("the unfinished one in the same journal is back").isRegularFile();
        try (Queue after = queue(null, 0)) {
            assertThat(after.entries()).extracting(QueueEntry::id).containsExactly("kept");
        }
    }

    @Test
    void aMessageLargerThanTheJournalLimitIsFsyncedInsteadOfJournaled() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, MESSAGE.length - 1);
        q.submit(envelope("big", "a@example.org", rcpt("b@example.net")), MESSAGE);
        disk.kill(); // a crash: the queue and the journal are gone with the process

        assertThat(recover()).as("no journal record for it").isZero();

        assertThat(Files.readAllBytes(queueDir.resolve("big.eml"))).isEqualTo(MESSAGE);
        try (Queue after = queue(null, 0)) {
            assertThat(after.get("big")).hasValueSatisfying(e -> assertThat(e.size()).isEqualTo(MESSAGE.length));
        }
    }

    @Test
    void afterACheckpointARecoveryHasNothingToReplay() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m5", "a@example.org", rcpt("b@example.net")), MESSAGE);
        journal.checkpoint();
        assertThat(queueDir.resolve("m5.env")).as("written by the checkpoint, before the record goes")
                .isRegularFile();
        disk.kill(); // a crash: the queue and the journal are gone with the process
        try (var segments = Files.list(journalDir)) {
            assertThat(segments.filter(p -> p.toString().endsWith(".log")))
                    .allSatisfy(p -> assertThat(p).isEmptyFile());
        }

        assertThat(recover()).isZero();

        assertThat(Files.readAllBytes(queueDir.resolve("m5.eml"))).isEqualTo(MESSAGE);
        try (Queue after = queue(null, 0)) {
            assertThat(after.get("m5")).isPresent();
        }
    }

    @Test
    void draftsACrashLeftInTmpAreRemovedAtStartButOneSendmailMayStillBeWritingIsKept() throws IOException {
        Journal journal = journal();
        Queue q = queue(journal, JOURNAL_MAX);
        q.submit(envelope("m11", "a@example.org", rcpt("b@example.net")), MESSAGE);
        disk.kill(); // m11 was acknowledged: its record holds it, its draft is gone from tmp/
        Path tmp = queueDir.resolve("tmp");
        java.time.Instant now = java.time.Instant.now();
        Path crashed = aged(tmp.resolve("m12.eml"), now.minus(java.time.Duration.ofHours(2)));
        Path envelopeBeingWritten = aged(tmp.resolve("m12.env.77"), now.minus(java.time.Duration.ofMinutes(5)));
        Path sendmailWriting = aged(tmp.resolve("q13.eml"), now.minus(java.time.Duration.ofSeconds(10)));

        assertThat(recover()).isEqualTo(1);
        try (Queue after = queue(null, 0)) {
            assertThat(after.entries()).extracting(QueueEntry::id).containsExactly("m11");
        }

        assertThat(crashed).as("never acknowledged: no record names it").doesNotExist();
        assertThat(envelopeBeingWritten).doesNotExist();
        assertThat(sendmailWriting).as("young: sendmail may be writing it right now").exists();
    }

    private static Path aged(Path p, java.time.Instant modified) throws IOException {
        Files.write(p, MESSAGE);
        Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(modified));
        return p;
    }

    private interface Blocked extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    /** A passing full disk (ENOSPC) for the writes of an entry's envelope files; closing it clears the error. */
    private Blocked blockEnvelopeWrites(String id) {
        disk.failAll(FaultyDisk.Op.WRITE, queueDir.resolve("tmp").resolve(id + ".env"));
        return disk::heal;
    }

    private Journal journal() throws IOException {
        return new Journal(journalDir, disk);
    }

    private Queue queue(Journal journal, long journalMax) throws IOException {
        Queue q = new Queue(queueDir, QueueTest.SETTINGS, clock, disk, journal, journalMax);
        if (journal != null) {
            journal.beforeSync(q::writeJournaledEnvelopes); // as Postwerk wires them
        }
        return q;
    }

    /** The next start: a new journal on the same directory replays the records left over into the spool. */
    private int recover() throws IOException {
        Spool spool = new Spool(queueDir, disk);
        try (Journal journal = journal()) {
            return journal.recover(spool::replay);
        }
    }
}
