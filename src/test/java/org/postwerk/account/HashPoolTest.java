package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HashPoolTest {
    /** Work that holds its pool thread until the latch opens; says which thread ran it. */
    private static String hold(CountDownLatch started, CountDownLatch release) {
        started.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Thread.currentThread().isVirtual() ? "a virtual thread" : Thread.currentThread().getName();
    }

    /** A session's call, from a virtual thread as in the server. */
    private static CompletableFuture<Optional<String>> call(HashPool pool, CountDownLatch started,
                                                           CountDownLatch release) {
        CompletableFuture<Optional<String>> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> result.complete(pool.run(() -> hold(started, release))));
        return result;
    }

    @Test
    void beyondTheThreadsAndTheQueueTheAnswerIsEmptyAtOnce() throws Exception {
        try (HashPool pool = new HashPool(1, 1)) {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Optional<String>> running = call(pool, started, release);
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            // Two more: one finds the place in the queue and waits, the other is turned away at once.
            CompletableFuture<Optional<String>> a = call(pool, new CountDownLatch(1), release);
            CompletableFuture<Optional<String>> b = call(pool, new CountDownLatch(1), release);
            assertThat(CompletableFuture.anyOf(a, b).get(10, TimeUnit.SECONDS)).isEqualTo(Optional.empty());
            assertThat(List.of(a, b)).filteredOn(f -> !f.isDone()).hasSize(1);
            assertThat(running).isNotDone();

            release.countDown();
            CompletableFuture<Optional<String>> queued = a.get().isEmpty() ? b : a;
            for (CompletableFuture<Optional<String>> done : List.of(running, queued)) {
                assertThat(done.get(10, TimeUnit.SECONDS)).as("run on a pool thread")
                        .hasValueSatisfying(t -> assertThat(t).startsWith("password-hash-"));
            }
            assertThat(pool.run(() -> "room again")).contains("room again");
        }
    }
}
