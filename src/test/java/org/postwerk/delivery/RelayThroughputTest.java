package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.ZoneResolver;

/**
 * Queue + scheduler + SMTP client to a loopback sink: 20 submitters, 4 KB messages. Prints msgs/s (surefire
 * output) from the first commit until the sink has every message; checks nothing is lost or left queued.
 */
class RelayThroughputTest {
    private static final int THREADS = 20;
    private static final int EACH = 20;

    @TempDir
    Path dir;

    @Test
    void twentySubmittersToALoopbackSink() throws Exception {
        byte[] body = ("Subject: load\r\n\r\n" + "x".repeat(4000) + "\r\n").getBytes();
        try (SinkServer sink = new SinkServer();
             Queue queue = new Queue(dir, new QueueSettings(RetrySchedule.defaults(), "mx.test", Optional.empty()),
                     Clock.systemUTC(), new PosixDisk());
             MxCourier mx = new MxCourier(new ZoneResolver(), new MxSettings(new ClientSettings("mx.test",
                     MxCourierTest.FAST), sink.port(), null, Duration.ofSeconds(5)), List.of(new RouteSettings("*",
                     "127.0.0.1", sink.port(), false, false, Optional.empty(), Optional.empty())))) {
            FakeDirectory none = new FakeDirectory("local.test");
            Scheduler scheduler = new Scheduler(queue, new Router(none, new LocalCourier(null), mx),
                    new SchedulerSettings(20, 20, Duration.ofMillis(100)), Clock.systemUTC());
            scheduler.start();
            AtomicInteger ids = new AtomicInteger();
            long start = System.nanoTime();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < EACH; i++) {
                        int n = ids.incrementAndGet();
                        queue.submit(new Envelope("load" + n, Optional.of(new Mailbox("a", "example.org")),
                                List.of(Recipient.of(new Mailbox("b" + n, "example.net"))), BodyType.SEVEN_BIT,
                                false, null, null, Instant.now(), null, null), body);
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            pool.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((sink.messages().size() < THREADS * EACH || !queue.entries().isEmpty())
                    && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            scheduler.close();
            System.out.printf("relay through queue to sink, 4 KB, %d submitters: %.0f msgs/s (%d in %.2f s)%n",
                    THREADS, THREADS * EACH / seconds, THREADS * EACH, seconds);
            assertThat(sink.messages()).hasSize(THREADS * EACH);
            assertThat(queue.entries()).isEmpty();
        }
    }
}
