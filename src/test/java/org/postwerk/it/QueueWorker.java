package org.postwerk.it;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.postwerk.account.Directory;
import org.postwerk.delivery.LocalCourier;
import org.postwerk.delivery.MxCourier;
import org.postwerk.delivery.MxSettings;
import org.postwerk.delivery.RouteSettings;
import org.postwerk.delivery.Router;
import org.postwerk.delivery.Scheduler;
import org.postwerk.delivery.SchedulerSettings;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.ZoneResolver;

/**
 * A separate JVM for {@link QueueCrashIT}: the queue and the delivery scheduler over a spool directory, every
 * remote domain routed to a sink on 127.0.0.1:PORT. Runs until killed. Args: SPOOL PORT.
 */
public final class QueueWorker {
    private QueueWorker() {}

    public static void main(String[] args) throws Exception {
        Path spool = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Queue queue = new Queue(spool, new QueueSettings(new RetrySchedule(List.of(Duration.ofMillis(500)),
                Duration.ofDays(1), Optional.empty()), "worker.test", Optional.empty()), Clock.systemUTC(),
                new PosixDisk());
        ClientTimeouts t = new ClientTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        MxCourier mx = new MxCourier(new ZoneResolver(), new MxSettings(new ClientSettings("worker.test", t), port, null,
                Duration.ofSeconds(10)), List.of(new RouteSettings("*", "127.0.0.1", port, false, false,
                Optional.empty(), Optional.empty())));
        Directory none = new FakeDirectory("local.test");
        Scheduler scheduler = new Scheduler(queue, new Router(none, new LocalCourier(null), mx),
                new SchedulerSettings(8, 8, Duration.ofMillis(100)), Clock.systemUTC());
        scheduler.start();
        System.out.println("worker started");
        Thread.sleep(Long.MAX_VALUE);
    }
}
