package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Network;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions;
import org.postwerk.delivery.Inbound;
import org.postwerk.delivery.LocalCourier;
import org.postwerk.delivery.MxCourier;
import org.postwerk.delivery.MxSettings;
import org.postwerk.delivery.Router;
import org.postwerk.delivery.Scheduler;
import org.postwerk.delivery.SchedulerSettings;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.smtp.client.MailRequest;
import org.postwerk.smtp.client.SmtpClient;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.smtp.server.InboundChecks;
import org.postwerk.smtp.server.OutboundSigner;
import org.postwerk.net.Listener;
import org.postwerk.smtp.server.RelayPolicy;
import org.postwerk.smtp.server.SessionServices;
import org.postwerk.smtp.server.SessionSettings;
import org.postwerk.io.PosixDisk;
import org.postwerk.store.Maildir;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestServer;
import org.postwerk.testkit.ZoneResolver;

/**
 * The relay path wired as the composition root will wire it: SMTP server → Inbound → Queue → Scheduler →
 * MxCourier → a sink found by MX. 20 clients send 4 KB messages; prints accepted and delivered msgs/s.
 */
class RelayEndToEndTest {
    private static final int CLIENTS = 20;
    private static final int EACH = 15;

    @TempDir
    Path data;

    @Test
    void twentyClientsRelayThroughTheQueueToTheSink() throws Exception {
        Path message = data.resolve("4k.eml");
        Files.writeString(message, "Subject: relay\r\n\r\n" + ("y".repeat(78) + "\r\n").repeat(50));
        FakeDirectory directory = new FakeDirectory("example.org").account("alice@example.org");
        PosixDisk disk = new PosixDisk();
        try (SinkServer sink = new SinkServer();
             Queue queue = new Queue(data.resolve("queue"), new QueueSettings(RetrySchedule.defaults(),
                     "mx.example.org", Optional.of(new Mailbox("postmaster", "example.org"))), Clock.systemUTC(),
                     disk);
             MxCourier mx = new MxCourier(new ZoneResolver("example.net. 300 IN MX 10 mx.example.net.\n"
                     + "mx.example.net. 300 IN A 127.0.0.1\n"), new MxSettings(new ClientSettings("mx.example.org",
                     ClientTimeouts.RFC5321), sink.port(), null, Duration.ofSeconds(30)), List.of());
             Scheduler scheduler = new Scheduler(queue, new Router(directory, new LocalCourier(
                     new Maildir(data.resolve("mail"), "mx.example.org", disk)), mx),
                     new SchedulerSettings(100, 20, Duration.ofSeconds(1)), Clock.systemUTC())) {
            scheduler.start();
            Maildir maildir = new Maildir(data.resolve("mail"), "mx.example.org", disk);
            SessionServices services = new SessionServices(directory, new Inbound(maildir, queue),
                    new RelayPolicy(List.of(Network.parse("127.0.0.0/8"))), null, null, InboundChecks.NONE,
                    OutboundSigner.NONE, data.resolve("spill"), 64 * 1024, Clock.systemUTC(),
                    org.postwerk.io.DiskSpace.of(data, 1));
            ConnectionLimiter limiter = new ConnectionLimiter(TestServer.LIMITS, services.relay().networks());
            SessionSettings settings = new SessionSettings("mx.example.org", new ListenerConfig(Role.SMTP,
                    new InetSocketAddress(0), false), TestServer.LIMITS, TestServer.TIMEOUTS,
                    new SmtpOptions(false, "postmaster@example.org"), new Mailbox("postmaster", "example.org"));
            Listener listener = new Listener(Role.SMTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    org.postwerk.smtp.server.SmtpSession.factory(settings, services, limiter), limiter);
            listener.start();
            try {
                long start = System.nanoTime();
                send(listener.address(), message);
                double accepted = (System.nanoTime() - start) / 1e9;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while ((sink.messages().size() < CLIENTS * EACH || !queue.entries().isEmpty())
                        && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                double delivered = (System.nanoTime() - start) / 1e9;
                System.out.printf("relay end to end, 4 KB, %d clients: accepted %.0f msgs/s, delivered %.0f msgs/s%n",
                        CLIENTS, CLIENTS * EACH / accepted, CLIENTS * EACH / delivered);
                assertThat(sink.messages()).hasSize(CLIENTS * EACH);
                assertThat(sink.messages().getFirst().text()).startsWith("Received: from ");
                assertThat(queue.entries()).isEmpty();
            } finally {
                listener.close(Duration.ofSeconds(2));
            }
        }
    }

    private static void send(InetSocketAddress server, Path message) throws Exception {
        ClientSettings client = new ClientSettings("client.example", ClientTimeouts.RFC5321);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> fs = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int n = c;
            fs.add(pool.submit(() -> {
                try (SmtpClient smtp = SmtpClient.connect(server, "mx.example.org", client)) {
                    smtp.hello();
                    for (int i = 0; i < EACH; i++) {
                        var r = smtp.send(new MailRequest("<a@example.org>", Files.size(message), BodyType.SEVEN_BIT,
                                false, null, null, List.of(new MailRequest.Rcpt("c" + n + "-" + i + "@example.net",
                                Set.of(), null))), message);
                        if (r.data() == null || !r.data().isPositive()) {
                            throw new IOException("not accepted: " + r);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : fs) {
            f.get();
        }
        pool.shutdown();
    }
}
