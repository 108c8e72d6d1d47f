package org.postwerk.account;

import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The few platform threads that compute password hashes for the logins of every protocol.
 *
 * <p>Argon2id is slow and big on purpose (about 30 ms of CPU and 19 MiB per hash). On a session's virtual
 * thread it would hold a carrier thread all that time, so a flood of logins held every carrier and stalled
 * every other session, and memory grew with the number of logins in flight (issue 9: an unrelated delivery took
 * 13 s, RSS went from 0.4 to 1 GB). Here at most {@code threads} hashes run at once, each with its 19 MiB
 * outside the heap while it runs ({@link Argon2Engine}), and at most {@code queue} wait; beyond that
 * {@link #run} answers empty at once and nothing is computed. The caller's virtual thread parks while it waits, which frees its carrier for other sessions.
 */
public final class HashPool implements AutoCloseable {
    /** Room for the hashes running and waiting. Counted here, not by the executor's queue: see {@link #run}. */
    private final Semaphore room;
    private final ThreadPoolExecutor executor;

    /**
     * @param threads hashes computed at once (each holds 19 MiB while it runs)
     * @param queue hashes that may wait for a thread; 0 for none
     */
    public HashPool(int threads, int queue) {
        if (threads < 1 || queue < 0) {
            throw new IllegalArgumentException("threads " + threads + ", queue " + queue);
        }
        room = new Semaphore(threads + queue);
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                Thread.ofPlatform().name("password-hash-", 1).daemon(true).factory());
    }

    /**
     * Computes {@code work} on a pool thread and waits for the result; empty
     * at once when every thread is busy and the queue is full (or when the caller is interrupted).
     *
     * <p>The room is taken before the work is handed over and given back when it ends, because an executor's own
     * bounded queue refuses work in the instant between a thread finishing its task and asking for the next one.
     * Work is never cancelled once handed over (an interrupted caller leaves it to finish): a cancelled task
     * would never run its {@code finally}, and its room would be lost.
     */
    <T> Optional<T> run(Supplier<T> work) {
        if (!room.tryAcquire()) {
            return Optional.empty();
        }
        Future<T> result;
        try {
            result = executor.submit(() -> {
                try {
                    return work.get();
                } finally {
                    room.release();
                }
            });
        } catch (RejectedExecutionException e) { // closed
            room.release();
            return Optional.empty();
        }
        try {
            return Optional.of(result.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("password hashing failed", e.getCause());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
