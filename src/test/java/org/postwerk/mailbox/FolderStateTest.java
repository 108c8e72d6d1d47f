package org.postwerk.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FolderStateTest {
    static final java.util.concurrent.ExecutorService THREADS =
            java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /** A change log whose records become durable only when the test says so. */
    static final class GatedLog implements ChangeLog {
        final List<ChangeLog.FolderChange> records = new CopyOnWriteArrayList<>();
        final List<CountDownLatch> gates = new CopyOnWriteArrayList<>();
        final List<Boolean> applied = new CopyOnWriteArrayList<>();
        volatile IOException failWith;

        @Override
        public Written append(List<FolderChange> changes, Object content) {
            records.addAll(changes);
            CountDownLatch gate = new CountDownLatch(1);
            gates.add(gate);
            int n = applied.size();
            applied.add(false);
            return new Written() {
                public void awaitDurable() throws IOException {
                    try {
                        gate.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    if (failWith != null) {
                        throw failWith;
                    }
                }

                public void applied() {
                    applied.set(n, true);
                }
            };
        }
    }

    static FolderState.Plan<long[]> append(Snapshot tip, long modseq, String... locators) {
        List<Change.Entry> entries = new ArrayList<>();
        long uid = tip.uidNext();
        for (String l : locators) {
            entries.add(new Change.Entry(uid++, l, Flags.NONE, 1000, 10));
        }
        return FolderState.Plan.of(new Change.Added(modseq, entries),
                entries.stream().mapToLong(Change.Entry::uid).toArray());
    }

    @Test
    void appendedMessagesGetIncreasingUidsAndAppearOnlyWhenDurable() throws Exception {
        GatedLog log = new GatedLog();
        FolderState f = new FolderState("INBOX", Snapshot.empty(42), log, Mirror.NONE);
        CompletableFuture<long[]> first = CompletableFuture.supplyAsync(() -> commit(f, "a", "b"), THREADS);
        await(() -> log.gates.size() == 1);
        assertThat(f.current().count()).isZero(); // written, not durable: nobody sees it
        log.gates.get(0).countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(1, 2);
        Snapshot s = f.current();
        assertThat(s.count()).isEqualTo(2);
        assertThat(s.uidNext()).isEqualTo(3);
        assertThat(s.highestModseq()).isEqualTo(2);
        assertThat(log.applied).containsExactly(true);
    }

    @Test
    void aLaterChangeDurableFirstWaitsForTheEarlierOne() throws Exception {
        GatedLog log = new GatedLog();
        FolderState f = new FolderState("INBOX", Snapshot.empty(42), log, Mirror.NONE);
        CompletableFuture<long[]> first = CompletableFuture.supplyAsync(() -> commit(f, "a"), THREADS);
        await(() -> log.gates.size() == 1);
        CompletableFuture<long[]> second = CompletableFuture.supplyAsync(() -> commit(f, "b"), THREADS);
        await(() -> log.gates.size() == 2);
        log.gates.get(1).countDown();
        Thread.sleep(100);
        assertThat(second).isNotDone();
        assertThat(f.current().count()).isZero(); // UID 2 never shows without UID 1
        log.gates.get(0).countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(1);
        assertThat(second.get(5, TimeUnit.SECONDS)).containsExactly(2);
        assertThat(f.current().count()).isEqualTo(2);
    }

    @Test
    void concurrentFlagChangesComposeOnTheNewestState() throws Exception {
        GatedLog log = new GatedLog();
        FolderState f = new FolderState("INBOX", Snapshot.empty(42), ChangeLog.NONE, Mirror.NONE);
        f.commit((tip, modseq) -> append(tip, modseq, "a"));
        FolderState g = new FolderState("INBOX", f.current(), log, Mirror.NONE);
        CompletableFuture<Void> seen = CompletableFuture.runAsync(() -> add(g, Flags.of(Flag.SEEN)), THREADS);
        await(() -> log.gates.size() == 1);
        CompletableFuture<Void> flagged = CompletableFuture.runAsync(() -> add(g, Flags.of(Flag.FLAGGED)), THREADS);
        await(() -> log.gates.size() == 2);
        log.gates.forEach(CountDownLatch::countDown);
        seen.get(5, TimeUnit.SECONDS);
        flagged.get(5, TimeUnit.SECONDS);
        assertThat(g.current().flags(0).system()).containsExactlyInAnyOrder(Flag.SEEN, Flag.FLAGGED);
        assertThat(g.current().modseq(0)).isEqualTo(4);
    }

    @Test
    void aFailedWriteIsNeverPublishedAndTheFolderRefusesFurtherChanges() throws Exception {
        GatedLog log = new GatedLog();
        log.failWith = new IOException("EIO");
        FolderState f = new FolderState("INBOX", Snapshot.empty(42), log, Mirror.NONE);
        log.gates.add(new CountDownLatch(0));
        CompletableFuture<long[]> first = CompletableFuture.supplyAsync(() -> commit(f, "a"), THREADS);
        await(() -> log.gates.size() == 2);
        log.gates.get(1).countDown();
        assertThatThrownBy(() -> first.get(5, TimeUnit.SECONDS)).hasRootCauseMessage("EIO");
        assertThat(f.current().count()).isZero();
        assertThatThrownBy(() -> f.commit((tip, modseq) -> append(tip, modseq, "b")))
                .isInstanceOf(IOException.class);
    }

    @Test
    void mirrorRunsInModseqOrder() throws Exception {
        List<Long> mirrored = new CopyOnWriteArrayList<>();
        FolderState f = new FolderState("INBOX", Snapshot.empty(1), ChangeLog.NONE, (c, before) -> mirrored.add(c.modseq()));
        for (int i = 0; i < 5; i++) {
            f.commit((tip, modseq) -> append(tip, modseq, "m"));
        }
        assertThat(mirrored).containsExactly(2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void oneRecordChangesTwoFolders() throws Exception {
        GatedLog log = new GatedLog();
        FolderState a = new FolderState("A", Snapshot.empty(1), ChangeLog.NONE, Mirror.NONE);
        a.commit((tip, modseq) -> append(tip, modseq, "x"));
        FolderState src = new FolderState("A", a.current(), log, Mirror.NONE);
        FolderState dst = new FolderState("B", Snapshot.empty(2), log, Mirror.NONE);
        CompletableFuture<Void> move = CompletableFuture.runAsync(() -> {
            try {
                FolderState.commit(log, List.of(src, dst), (tips, next) -> new FolderState.Plan<>(List.of(
                        new Change.Expunged(next.get(0), new long[] {1}, List.of("x")),
                        new Change.Added(next.get(1), List.of(new Change.Entry(1, "x", Flags.NONE, 0, 10)))),
                        null, null));
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, THREADS);
        await(() -> log.gates.size() == 1);
        assertThat(log.records).hasSize(2);
        log.gates.get(0).countDown();
        move.get(5, TimeUnit.SECONDS);
        assertThat(src.current().count()).isZero();
        assertThat(src.current().expunged().since(0)).containsExactly(1);
        assertThat(dst.current().count()).isEqualTo(1);
        assertThat(log.applied).containsExactly(true);
    }

    static long[] commit(FolderState f, String... locators) {
        try {
            return f.commit((tip, modseq) -> append(tip, modseq, locators));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static void add(FolderState f, Flags flags) {
        try {
            f.commit((tip, modseq) -> FolderState.Plan.of(new Change.FlagsSet(modseq, List.of(
                    new Change.FlagUpdate(tip.uid(0), tip.locator(0), tip.flags(0), tip.flags(0).plus(flags)))), null));
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }
}
