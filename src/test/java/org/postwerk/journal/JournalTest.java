package org.postwerk.journal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.FaultyDisk;

/**
 * The journal as a crash sees it. A "crash" is {@link FaultyDisk#kill}: no checkpoint, the segments stay on
 * disk, and a second {@code new Journal(dir)} must hand every acknowledged record back.
 */
class JournalTest {
    private static final int HEADER = 13; // magic(4) length(4) crc32c(4) type(1)
    private static final RecordType A = RecordType.MAILDIR_DELIVERY;
    private static final RecordType B = RecordType.QUEUE_ENTRY;

    @TempDir
    Path root;
    FaultyDisk disk;

    @BeforeEach
    void disk() throws IOException {
        disk = new FaultyDisk(root);
    }

    @Test
    void recoverHandsBackEveryCommittedRecordInOrderAfterACrash() throws IOException {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        commit(crashed, A, "first");
        commit(crashed, B, "second");
        commit(crashed, A, "");
        disk.kill();
        List<Path> before = segments(dir);

        List<Entry> got = recoverAll(open(dir));

        assertThat(got).extracting(Entry::type).containsExactly(A, B, A);
        assertThat(got).extracting(e -> new String(e.payload(), UTF_8)).containsExactly("first", "second", "");
        assertThat(before).hasSize(1).allSatisfy(p -> assertThat(p).doesNotExist());
        assertThat(recoverAll(open(dir))).as("a second recovery finds nothing").isEmpty();
    }

    @Test
    void aTornTailEndsTheSegmentAfterTheLastWholeRecord() throws IOException {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        commit(crashed, A, "one");
        commit(crashed, A, "two");
        commit(crashed, A, "three");
        disk.kill();
        Path segment = segments(dir).get(0);
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            ch.truncate(3 * 13 + "onetwothree".length() - 2); // the last record lost its final bytes
        }
        assertThat(payloads(recoverAll(open(dir)))).containsExactly("one", "two");

        Journal again = open(dir);
        commit(again, A, "four");
        disk.kill();
        try (FileChannel ch = FileChannel.open(last(segments(dir)), StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0x50, 0x57, 0x4a}), 13 + 4); // half a header after "four"
        }
        assertThat(payloads(recoverAll(open(dir)))).containsExactly("four");
    }

    @Test
    void recordsAcrossTheZeroFilledExtensionsAreAllRecovered() throws IOException {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        List<String> written = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) { // 300 x 8 KiB: past two mebibyte extensions
            written.add(i + "x".repeat(8192));
            commit(crashed, A, written.get(i));
        }
        disk.kill(); // a crash
        assertThat(payloads(recoverAll(open(dir)))).containsExactlyElementsOf(written);
    }

    @Test
    void aCorruptPayloadByteHidesThatRecordAndTheRestOfItsSegmentOnly() throws IOException {
        Path dir = root.resolve("journal");
        Journal first = open(dir);
        commit(first, A, "aaaa");
        commit(first, A, "bbbb");
        commit(first, A, "cccc");
        disk.kill(); // a crash
        Journal second = open(dir); // crashed before recover: the first segment stays, a second one follows
        commit(second, A, "dddd");
        disk.kill(); // a crash before the recovery
        Path older = segments(dir).get(0);

        byte[] bytes = Files.readAllBytes(older);
        int secondPayload = (HEADER + 4) + HEADER;
        assertThat(bytes[secondPayload]).isEqualTo((byte) 'b');
        bytes[secondPayload + 1] ^= 0x01; // one flipped bit, the CRC no longer matches
        Files.write(older, bytes);

        assertThat(payloads(recoverAll(open(dir)))).containsExactly("aaaa", "dddd");
    }

    @Test
    void readStopsAtAWrongMagicOrATruncatedLength() throws IOException {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        commit(crashed, B, "payload");
        disk.kill(); // a crash
        // The segment is zero-filled ahead of its records: the record is its first 13 + 7 bytes.
        byte[] whole = java.util.Arrays.copyOf(Files.readAllBytes(segments(dir).get(0)), 13 + 7);
        assertThat(Files.size(segments(dir).get(0))).isGreaterThanOrEqualTo(1 << 20);

        assertThat(RecordCodec.read(new ByteArrayInputStream(whole)).payload()).asString(UTF_8).isEqualTo("payload");
        assertThat(RecordCodec.read(new ByteArrayInputStream(whole, 0, whole.length - 1))).isNull();
        byte[] badMagic = whole.clone();
        badMagic[0] ^= 0x01;
        assertThat(RecordCodec.read(new ByteArrayInputStream(badMagic))).isNull();
        assertThat(RecordCodec.read(new ByteArrayInputStream(new byte[0]))).isNull();
    }

    @Test
    void checkpointSyncsTheTouchedFilesAndDeletesSealedSegments() throws IOException {
        Path dir = root.resolve("journal");
        Path written = Files.writeString(root.resolve("message"), "hello\r\n");
        Path gone = root.resolve("moved-away-by-a-reader"); // missing files are skipped, not an error
        Journal journal = open(dir);
        try (Journal.Ticket t = journal.commit(A, parts("m1"), List.of(written, gone))) {
            assertThat(segments(dir)).hasSize(1);
        }
        journal.checkpoint();
        assertThat(segments(dir)).as("the sealed segment is deleted, a fresh one is current").hasSize(1);
        assertThat(Files.size(segments(dir).get(0))).isZero();

        journal.checkpoint(); // nothing new: the empty current segment is kept, not sealed
        assertThat(segments(dir)).hasSize(1);
        disk.kill();
        assertThat(recoverAll(open(dir))).as("a checkpointed record is not replayed").isEmpty();
    }

    @Test
    void checkpointWaitsUntilEveryTicketOfItsSegmentsIsClosed() throws Exception {
        Path dir = root.resolve("journal");
        Journal journal = open(dir);
        Journal.Ticket ticket = journal.commit(A, parts("pending"), List.of());
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
            started.countDown();
            try {
                journal.checkpoint();
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            checkpoint.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("checkpoint finished while a ticket was still open");
        } catch (TimeoutException expected) {
            // the caller's files are not written yet: the segment must stay
        }
        assertThat(segments(dir)).as("sealed segment kept while waiting").hasSize(2);

        ticket.close();
        checkpoint.get(5, TimeUnit.SECONDS);
        assertThat(segments(dir)).hasSize(1);
        journal.close();
    }

    @Test
    void concurrentCommitsAreAllRecovered() throws Exception {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        Set<String> sent = new HashSet<>();
        List<Future<?>> done = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 16; t++) {
                for (int i = 0; i < 50; i++) {
                    sent.add(t + "/" + i);
                }
                int thread = t;
                done.add(threads.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        commit(crashed, A, thread + "/" + i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
        disk.kill(); // a crash
        List<String> got = payloads(recoverAll(open(dir)));
        assertThat(got).hasSize(16 * 50);
        assertThat(new HashSet<>(got)).isEqualTo(sent);
    }

    @Test
    void appendedRecordsAreRecoveredAlongsideCommittedOnes() throws IOException {
        Path dir = root.resolve("journal");
        Journal crashed = open(dir);
        commit(crashed, A, "committed");
        crashed.append(B, parts("finished"), List.of());
        disk.kill(); // a crash
        assertThat(recoverAll(open(dir))).extracting(Entry::type).containsExactly(A, B);
    }

    @Test
    void closeLeavesNoSegments() throws IOException {
        Path dir = root.resolve("journal");
        Journal journal = open(dir);
        commit(journal, A, "one");
        journal.append(B, parts("two"), List.of());
        journal.close();
        assertThat(segments(dir)).isEmpty();

        open(dir).close(); // an unused journal too
        assertThat(segments(dir)).isEmpty();
    }

    private Journal open(Path dir) throws IOException {
        return new Journal(dir, disk);
    }

    private static void commit(Journal journal, RecordType type, String payload) throws IOException {
        try (Journal.Ticket t = journal.commit(type, parts(payload), List.of())) {
            // nothing to write: the record is the whole fact
        }
    }

    /** The payload split in two parts, as callers write a header and a body. */
    private static ByteBuffer[] parts(String payload) {
        byte[] b = payload.getBytes(UTF_8);
        int half = b.length / 2;
        return new ByteBuffer[] {ByteBuffer.wrap(b, 0, half), ByteBuffer.wrap(b, half, b.length - half)};
    }

    private static List<Entry> recoverAll(Journal journal) throws IOException {
        List<Entry> got = new ArrayList<>();
        int count = journal.recover(entries -> {
            entries.forEach(got::add);
            return List.of();
        });
        assertThat(count).isEqualTo(got.size());
        journal.close();
        return got;
    }

    private static List<String> payloads(List<Entry> entries) {
        return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }

    private static Path last(List<Path> segments) {
        return segments.get(segments.size() - 1);
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
    }
}
