package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.SinkServer;

/**
 * SIGKILL during retries and during delivery: after a restart every queued message reaches the sink exactly
 * once, or at most twice for the ones in flight at the kill (the RFC 5321 §6.1 duplicate risk), and the spool
 * ends empty.
 */
class QueueCrashIT {
    private static final int MESSAGES = 40;

    @TempDir
    Path dir;

    @Test
    void killedWorkerLosesNothingAndDuplicatesOnlyWhatWasInFlight() throws Exception {
        Path spool = dir.resolve("queue");
        enqueue(spool);
        try (SinkServer sink = new SinkServer()) {
            sink.rcptReply = a -> "451 4.7.1 try again";
            Process p = start(spool, sink.port());
            waitFor(() -> sink.commands().stream().filter(c -> c.startsWith("RCPT")).count() >= MESSAGES, 30);
            Thread.sleep(700); // some retries are running
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL during retries

            sink.rcptReply = a -> "250 2.1.5 ok";
            sink.dataDelay = Duration.ofMillis(150);
            p = start(spool, sink.port());
            waitFor(() -> sink.messages().size() >= MESSAGES / 3, 60);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL during delivery
            int before = sink.messages().size();

            sink.dataDelay = Duration.ZERO;
            p = start(spool, sink.port());
            waitFor(() -> distinct(sink).size() == MESSAGES && envFiles(spool) == 0, 60);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

            Map<String, Long> counts = distinct(sink);
            assertThat(counts).hasSize(MESSAGES);
            assertThat(counts.values()).allMatch(n -> n >= 1 && n <= 2);
            long duplicates = counts.values().stream().filter(n -> n == 2).count();
            assertThat(duplicates).as("only messages in flight at the kill (8 at most) may repeat").isLessThanOrEqualTo(8);
            assertThat(envFiles(spool)).isZero();
            System.out.printf("crash test: %d delivered before kill, %d duplicates%n", before, duplicates);
        }
    }

    private static void enqueue(Path spool) throws IOException {
        try (Queue q = new Queue(spool, new QueueSettings(RetrySchedule.defaults(), "it.test", Optional.empty()),
                Clock.systemUTC(), new PosixDisk())) {
            for (int i = 0; i < MESSAGES; i++) {
                Envelope e = new Envelope("crash" + i, Optional.of(new Mailbox("a", "example.org")),
                        List.of(Recipient.of(new Mailbox("b" + i, "example.net"))), BodyType.SEVEN_BIT, false, null,
                        null, Instant.now(), null, "127.0.0.1");
                q.submit(e, ("X-Seq: " + i + "\r\nSubject: crash\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    private static Map<String, Long> distinct(SinkServer sink) {
        return sink.messages().stream().map(m -> m.text().lines().findFirst().orElse(""))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    private static long envFiles(Path spool) {
        try (var s = Files.list(spool)) {
            return s.filter(p -> p.toString().endsWith(".env")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Process start(Path spool, int port) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), QueueWorker.class.getName(),
                spool.toString(), Integer.toString(port)).redirectErrorStream(true)
                .redirectOutput(spool.resolveSibling("worker.log").toFile()).start();
    }

    private static void waitFor(java.util.function.BooleanSupplier done, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s");
            }
            Thread.sleep(50);
        }
    }
}
