package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Control;
import org.postwerk.queue.Envelope;
import org.postwerk.testkit.ManualClock;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.queue.State;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.ZoneResolver;

class SchedulerTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final QueueSettings SETTINGS = new QueueSettings(new RetrySchedule(List.of(Duration.ofMinutes(5)),
            Duration.ofHours(2), Optional.empty()), "mx.example.org", Optional.of(new Mailbox("postmaster", "example.org")));

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T0);
    final SinkServer sink = new SinkServer();
    final ZoneResolver dns = new ZoneResolver("example.net. 300 IN A 127.0.0.1\n");
    final FakeDirectory directory = new FakeDirectory("example.org").account("alice@example.org")
            .forward("team@example.org", new Mailbox("bob", "example.net"));
    final MemoryStore store = new MemoryStore();
    Queue queue;
    Scheduler scheduler;
    MxCourier mx;

    SchedulerTest() throws IOException {}

    void start() throws IOException {
        queue = new Queue(dir, SETTINGS, clock, new PosixDisk());
        mx = new MxCourier(dns, new MxSettings(new ClientSettings("mx.example.org", MxCourierTest.FAST), sink.port(),
                null, Duration.ofSeconds(5)), List.of());
        scheduler = new Scheduler(queue, new Router(directory, new LocalCourier(store), mx),
                new SchedulerSettings(4, 2, Duration.ofMillis(50)), clock);
    }

    void stopQueue() throws Exception {
        scheduler.close();
        mx.close();
        queue.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (scheduler != null) {
            stopQueue();
        }
        sink.close();
    }

    void submit(String id, String... rcpts) throws IOException {
        queue.submit(new Envelope(id, Optional.of(new Mailbox("alice", "example.org")),
                java.util.Arrays.stream(rcpts).map(MxCourierTest::rcpt).toList(), BodyType.SEVEN_BIT, false, null, null,
                clock.instant(), null, "192.0.2.1"), "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
    }

    void round() throws Exception {
        scheduler.handleControl();
        scheduler.tick();
        assertThat(scheduler.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void freshMailIsDeliveredRemoteAndLocalThenRemoved() throws Exception {
        start();
        submit("m1", "bob@example.net", "alice@example.org");
        round();
        assertThat(sink.messages()).hasSize(1);
        assertThat(store.stored).hasSize(1);
        assertThat(store.stored.getFirst().content()).startsWith("Return-Path: <alice@example.org>\r\nSubject: hi");
        assertThat(queue.entries()).isEmpty();
    }

    @Test
    void temporaryFailureRetriesOnScheduleAndSurvivesRestart() throws Exception {
        start();
        sink.rcptReply = a -> "451 4.7.1 greylisted";
        submit("m2", "bob@example.net");
        round();
        assertThat(queue.get("m2").orElseThrow().recipients().getFirst().state())
                .isInstanceOf(State.Deferred.class);
        stopQueue();

        start();
        sink.rcptReply = a -> "250 2.1.5 ok";
        round();
        assertThat(sink.messages()).as("not due yet").isEmpty();
        clock.advance(Duration.ofMinutes(5));
        round();
        assertThat(sink.messages()).hasSize(1);
        assertThat(queue.entries()).isEmpty();
    }

    @Test
    void permanentFailureBouncesToSenderWithTheRemoteReply() throws Exception {
        start();
        sink.rcptReply = a -> "550 5.1.1 <bob@example.net>: Recipient address rejected";
        submit("m3", "bob@example.net");
        round(); // fails, queues the DSN
        round(); // delivers the DSN locally to alice
        assertThat(queue.entries()).isEmpty();
        assertThat(store.stored).hasSize(1);
        String dsn = store.stored.getFirst().content();
        assertThat(dsn).startsWith("Return-Path: <>\r\n");
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(dsn.getBytes(StandardCharsets.UTF_8)));
        Multipart mp = (Multipart) m.getContent();
        String status = new String(mp.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(status).contains("Final-Recipient: rfc822; bob@example.net", "Action: failed", "Status: 5.1.1",
                "Remote-MTA: dns; example.net [127.0.0.1]",
                "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected");
    }

    @Test
    void forwardingAliasExpandsInTheQueue() throws Exception {
        start();
        submit("m4", "team@example.org");
        round(); // expands
        round(); // delivers the expansion
        assertThat(sink.messages()).hasSize(1);
        assertThat(sink.messages().getFirst().rcpts()).containsExactly("RCPT TO:<bob@example.net> ORCPT=rfc822;team@example.org");
        assertThat(queue.entries()).isEmpty();
    }

    @Test
    void heldMessageWaitsUntilReleasedThroughControlRequests() throws Exception {
        start();
        sink.rcptReply = a -> "451 4.3.0 later";
        submit("m5", "bob@example.net");
        round();
        Control control = new Control(queue.spool());
        CompletableFuture<Optional<String>> hold = CompletableFuture.supplyAsync(() -> ask(control, Control.Op.HOLD, "m5"));
        while (!hold.isDone()) {
            scheduler.handleControl();
            Thread.sleep(20);
        }
        assertThat(hold.get()).contains("ok");
        sink.rcptReply = a -> "250 2.1.5 ok";
        clock.advance(Duration.ofHours(1));
        round();
        assertThat(sink.messages()).isEmpty();
        CompletableFuture<Optional<String>> release = CompletableFuture.supplyAsync(
                () -> ask(control, Control.Op.RELEASE, "m5"));
        while (!release.isDone()) {
            round();
            Thread.sleep(20);
        }
        round();
        assertThat(sink.messages()).hasSize(1);
        assertThat(ask(control, Control.Op.DELETE, "nope")).isEmpty();
    }

    private static Optional<String> ask(Control c, Control.Op op, String id) {
        try {
            return c.ask(op, id, Duration.ofMillis(op == Control.Op.DELETE ? 200 : 5000));
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void runningSchedulerDeliversWithoutManualTicks() throws Exception {
        start();
        scheduler.start();
        submit("m6", "bob@example.net");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sink.messages().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sink.messages()).hasSize(1);
    }
}
