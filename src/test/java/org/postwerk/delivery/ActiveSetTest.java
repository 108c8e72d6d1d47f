package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Queue;
import org.postwerk.queue.DsnDuty;
import org.postwerk.queue.Reason;
import org.postwerk.queue.Result;
import org.postwerk.queue.State;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.ManualClock;

/** The bounded active set: the deferred backlog never takes the slots fresh mail needs. */
class ActiveSetTest {
    private static final Outcome DELIVERED = new Outcome.Delivered(new Reason.Local(Reply.of(250, 2, 0, 0, "ok")),
            null, DsnDuty.FINAL);

    @TempDir
    Path dir;

    @Test
    void freshMailGetsASlotWhileTheBacklogIsStuck() throws Exception {
        ManualClock clock = new ManualClock(SchedulerTest.T0);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> started = ConcurrentHashMap.newKeySet();
        Courier stuckOnOld = (env, rcpts, msg) -> {
            started.add(env.id());
            if (env.id().startsWith("old")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Collections.nCopies(rcpts.size(), DELIVERED);
        };
        try (Queue queue = new Queue(dir, SchedulerTest.SETTINGS, clock, new PosixDisk())) {
            for (int i = 0; i < 10; i++) {
                submit(queue, "old" + i, "d" + i + ".example");
                queue.record("old" + i, Map.of(0, new Result.Deferred(new Reason.Local(
                        Reply.of(451, 4, 0, 0, "later")))));
            }
            clock.advance(Duration.ofMinutes(10));
            Scheduler s = new Scheduler(queue, stuckOnOld, new SchedulerSettings(4, 10, Duration.ofSeconds(1)), clock);
            s.tick();
            waitFor(() -> started.size() == 3);
            assertThat(started).as("the backlog may use 3 of 4 slots").hasSize(3);
            submit(queue, "new1", "fresh.example");
            s.tick();
            waitFor(() -> started.contains("new1"));
            assertThat(started).contains("new1");
            release.countDown();
            assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void oneDestinationGetsNoMoreThanItsLimit() throws Exception {
        ManualClock clock = new ManualClock(SchedulerTest.T0);
        CountDownLatch release = new CountDownLatch(1);
        Set<String> started = ConcurrentHashMap.newKeySet();
        Courier stuck = (env, rcpts, msg) -> {
            started.add(env.id());
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Collections.nCopies(rcpts.size(), DELIVERED);
        };
        try (Queue queue = new Queue(dir, SchedulerTest.SETTINGS, clock, new PosixDisk())) {
            Scheduler s = new Scheduler(queue, stuck, new SchedulerSettings(10, 2, Duration.ofSeconds(1)), clock);
            for (int i = 0; i < 5; i++) {
                submit(queue, "m" + i, "same.example");
            }
            submit(queue, "other", "other.example");
            s.tick();
            waitFor(() -> started.size() == 3);
            Thread.sleep(100);
            assertThat(started).hasSize(3).contains("other");
            release.countDown();
            assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
            s.tick();
            assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(started).hasSize(6);
            assertThat(queue.entries()).isEmpty();
        }
    }

    @Test
    void aStalledDomainDoesNotHoldBackTheOthersOfTheSameMessage() throws Exception {
        ManualClock clock = new ManualClock(SchedulerTest.T0);
        CountDownLatch release = new CountDownLatch(1);
        Courier slowOne = (env, rcpts, msg) -> {
            if (rcpts.getFirst().address().domain().equals("slow.example")) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Collections.nCopies(rcpts.size(), DELIVERED);
        };
        try (Queue queue = new Queue(dir, SchedulerTest.SETTINGS, clock, new PosixDisk())) {
            Scheduler s = new Scheduler(queue, slowOne, new SchedulerSettings(4, 4, Duration.ofSeconds(1)), clock);
            queue.submit(new Envelope("two", Optional.of(new Mailbox("a", "example.org")),
                    List.of(org.postwerk.queue.Recipient.of(new Mailbox("b", "slow.example")),
                            org.postwerk.queue.Recipient.of(new Mailbox("c", "fast.example"))), BodyType.SEVEN_BIT,
                    false, null, null, queue.now(), null, null), "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
            s.tick();
            waitFor(() -> queue.get("two").orElseThrow().recipients().get(1).state() instanceof State.Delivered);
            assertThat(queue.get("two").orElseThrow().recipients()).extracting(r -> r.state().word())
                    .containsExactly("pending", "delivered");
            release.countDown();
            assertThat(s.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(queue.entries()).isEmpty();
        }
    }

    private static void submit(Queue q, String id, String domain) throws java.io.IOException {
        q.submit(new Envelope(id, Optional.of(new Mailbox("a", "example.org")),
                List.of(org.postwerk.queue.Recipient.of(new Mailbox("b", domain))), BodyType.SEVEN_BIT, false, null,
                null, q.now(), null, null), "Subject: x\r\n\r\nx\r\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
