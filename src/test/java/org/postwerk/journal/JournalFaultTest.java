package org.postwerk.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.FaultyDisk;
import org.postwerk.testkit.FaultyDisk.Op;

/**
 * The journal on a failing disk, and after a power cut ({@link FaultyDisk#powerCut}: what no fdatasync covered
 * is gone). A commit that returns is durable; one that fails was not acknowledged and may be lost; after a
 * failed fdatasync nothing more is accepted.
 */
class JournalFaultTest {
    private static final RecordType TYPE = RecordType.MAILDIR_DELIVERY;

    @TempDir
    Path root;
    Path dir;
    FaultyDisk disk;

    @BeforeEach
    void disk() throws IOException {
        dir = root.resolve("journal");
        disk = new FaultyDisk(root);
    }

    @Test
    void everyCommittedRecordSurvivesAPowerCutAndAnAppendedOneOnlyOnceASyncCoversIt() throws IOException {
        Journal journal = new Journal(dir, disk);
        commit(journal, "one");
        journal.append(RecordType.QUEUE_DONE, parts("covered by the next commit"), List.of());
        commit(journal, "two");
        journal.append(RecordType.QUEUE_DONE, parts("covered by nothing"), List.of());
        disk.powerCut();

        assertThat(recover()).containsExactly("one", "covered by the next commit", "two");
    }

    @Test
    void aFailedFdatasyncFailsTheCommitAndEveryLaterOne() throws IOException {
        Journal journal = new Journal(dir, disk);
        commit(journal, "acknowledged");
        disk.failNext(Op.FDATASYNC, dir);

        assertThatThrownBy(() -> commit(journal, "refused")).hasMessageContaining("Input/output error");
        // The disk seems well again, but the kernel may have dropped the failed pages: never try again.
        assertThatThrownBy(() -> commit(journal, "later")).hasMessageContaining("journal unusable");
        assertThat(disk.count(Op.FDATASYNC)).as("no second fdatasync after the failed one").isEqualTo(2);
        disk.powerCut();

        assertThat(recover()).containsExactly("acknowledged");
    }

    @Test
    void aFullDiskFailsOneCommitWithoutATornRecordAndTheJournalGoesOn() throws IOException {
        Journal journal = new Journal(dir, disk);
        disk.failNext(Op.WRITE, dir); // the first write of a segment: the zeros ahead of its records
        assertThatThrownBy(() -> commit(journal, "refused while extending")).hasMessageContaining("No space");
        commit(journal, "one");
        disk.failNext(Op.WRITE, dir); // the record itself
        assertThatThrownBy(() -> commit(journal, "refused")).hasMessageContaining("No space");
        commit(journal, "two");
        disk.powerCut();

        assertThat(recover()).as("no torn record hides the one after it").containsExactly("one", "two");
    }

    @Test
    void aFailedCheckpointSyncKeepsTheSegmentsForTheReplayAndRefusesMore() throws IOException {
        Journal journal = new Journal(dir, disk);
        commit(journal, "acknowledged");
        disk.failNext(Op.SYNC_FILESYSTEMS, root);

        assertThatThrownBy(journal::checkpoint).hasMessageContaining("Input/output error");
        assertThatThrownBy(() -> commit(journal, "later")).hasMessageContaining("journal unusable");
        disk.powerCut();

        assertThat(recover()).containsExactly("acknowledged");
    }

    @Test
    void aSegmentWhoseNameCannotBeMadeDurableIsNotUsed() throws IOException {
        disk.failAll(Op.SYNC_DIRECTORY, dir);
        assertThatThrownBy(() -> new Journal(dir, disk)).hasMessageContaining("Input/output error");
        disk.heal();
        Journal journal = new Journal(dir, disk);
        commit(journal, "one");
        disk.failNext(Op.SYNC_DIRECTORY, dir);
        assertThatThrownBy(journal::checkpoint).as("no new segment: the old one stays current")
                .hasMessageContaining("Input/output error");
        commit(journal, "two");
        disk.powerCut();

        assertThat(recover()).containsExactly("one", "two");
    }

    private List<String> recover() throws IOException {
        List<String> got = new ArrayList<>();
        try (Journal journal = new Journal(dir, disk)) {
            journal.recover(entries -> {
                entries.forEach(e -> got.add(new String(e.payload(), UTF_8)));
                return List.of();
            });
        }
        return got;
    }

    private static void commit(Journal journal, String payload) throws IOException {
        journal.commit(TYPE, parts(payload), List.of()).close();
    }

    private static ByteBuffer[] parts(String payload) {
        return new ByteBuffer[] {ByteBuffer.wrap(payload.getBytes(UTF_8))};
    }
}
