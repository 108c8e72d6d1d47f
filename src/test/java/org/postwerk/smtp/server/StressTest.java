package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.config.Timeouts;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/**
 * Stress mode over real sockets with small numbers: 10 or 20 slots, stress above half or 80% of them, stress
 * timeouts of one second against normal ones of a minute. Each client comes from its own loopback address.
 */
class StressTest {
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(1));

    @TempDir
    Path data;
    private final List<SmtpScript> open = new ArrayList<>();
    private final AtomicBoolean stop = new AtomicBoolean();

    @AfterEach
    void closeAll() throws IOException {
        stop.set(true);
        for (SmtpScript s : open) {
            s.close();
        }
    }

    private static Limits limits(int connections, int stressPercent) {
        return new Limits(1 << 20, 100, 512, 1000, connections, 20, 30, 3, Duration.ZERO,
                new Limits.PerNetwork(20, 24, 64), new Limits.Stress(stressPercent, 1));
    }

    private SmtpScript from(TestServer server, String address) throws IOException {
        SmtpScript s = SmtpScript.connect(server.address(), InetAddress.getByName(address));
        open.add(s);
        return s;
    }

    /** Busy sessions (a NOOP every 250 ms, each line well within any timeout) that keep the server under stress. */
    private void busy(TestServer server, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            SmtpScript s = from(server, "127.0." + (100 + i) + ".1");
            s.expect("220 .*");
            Thread.ofVirtual().start(() -> {
                try {
                    while (!stop.get()) {
                        s.send("NOOP").expect("250 .*");
                        Thread.sleep(250);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed at the end of the test
                }
            });
        }
    }

    /** Sends "NOOP" a byte every 300 ms until the server answers; the time from start to that answer. */
    private static Duration trickle(SmtpScript s, List<String> reply) throws Exception {
        long start = System.nanoTime();
        byte[] line = "NOOP\r\n".getBytes();
        for (byte b : line) {
            try {
                s.raw(new byte[] {b});
            } catch (IOException e) {
                break; // closed under us: the reply is waiting
            }
            Thread.sleep(300);
            if (s.socket().getInputStream().available() > 0) {
                break;
            }
        }
        reply.addAll(s.reply());
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void underStressATricklingClientIsCutOffAfterTheStressTimeout() throws Exception {
        try (TestServer server = new TestServer(data).limits(limits(10, 50)).timeouts(TIMEOUTS).start()) {
            // Without stress, "NOOP" trickled over 1.8 s is answered: the command timeout is a minute.
            SmtpScript calm = from(server, "127.0.1.1").expect("220 .*");
            List<String> reply = new ArrayList<>();
            assertThat(trickle(calm, reply)).isGreaterThan(Duration.ofMillis(1500));
            assertThat(reply).containsExactly("250 2.0.0 OK");

            busy(server, 5); // 6 of 10 slots: more than half, stress
            SmtpScript trickler = from(server, "127.0.2.1").expect("220 .*");
            reply.clear();
            Duration cutAfter = trickle(trickler, reply);
            assertThat(reply).containsExactly("421 4.4.2 Timeout exceeded, closing connection");
            assertThat(cutAfter).isBetween(Duration.ofMillis(700), Duration.ofMillis(2500));
            assertThat(trickler.closedByServer()).isTrue();
        }
    }

    @Test
    void underStressMessageDataTrickledWithinTheReadTimeoutIsCutToo() throws Exception {
        try (TestServer server = new TestServer(data).limits(limits(10, 50)).timeouts(TIMEOUTS).start()) {
            busy(server, 6);
            SmtpScript s = from(server, "127.0.1.1").expect("220 .*").send("EHLO c").expect("250 .*")
                    .send("MAIL FROM:<a@example.net>").expect("250 .*")
                    .send("RCPT TO:<alice@example.org>").expect("250 .*").send("DATA").expect("354 .*");
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 20 && s.socket().getInputStream().available() == 0; i++) {
                    s.raw("x"); // each byte well within the 1 s per read, but 3 bytes a second in all
                    Thread.sleep(300);
                }
            } catch (IOException e) {
                // closed under us
            }
            s.expect("421 4\\.4\\.2 .*");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(700),
                    Duration.ofMillis(2500));
            assertThat(server.inbox("alice@example.org")).isEmpty();
        }
    }

    @Test
    void aClientWaitingSinceBeforeTheStressIsCutWhenItBegins() throws Exception {
        try (TestServer server = new TestServer(data).limits(limits(10, 50)).timeouts(TIMEOUTS).start()) {
            SmtpScript silent = from(server, "127.0.1.1").expect("220 .*");
            Thread.sleep(1500); // longer than the stress timeout, well within the normal one
            long start = System.nanoTime();
            busy(server, 5);
            silent.expect("421 4\\.4\\.2 .*");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2000));
            assertThat(silent.closedByServer()).isTrue();
        }
    }

    @Test
    void aLegitimateClientGetsThroughWhileTricklersHoldMostSlots() throws Exception {
        // 20 slots, stress above 16. Tricklers from three networks try to take all 20; stress timeouts long
        // enough that they are all still there when the legitimate client comes.
        Timeouts slow = new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(2),
                Duration.ofSeconds(20), Duration.ofSeconds(20));
        try (TestServer server = new TestServer(data).limits(limits(20, 80)).timeouts(slow).start()) {
            List<String> greetings = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SmtpScript trickler = from(server, "127.0." + (1 + i % 3) + "." + (1 + i));
                greetings.add(trickler.reply().get(0));
                trickler.raw("N");
            }
            assertThat(greetings.stream().filter(g -> g.startsWith("220 "))).hasSize(16);
            assertThat(greetings.subList(16, 20)).containsOnly("421 4.7.0 Server busy, try again later");

            SmtpScript legitimate = from(server, "127.0.9.1");
            legitimate.expect("220 .*").send("EHLO client.example.net").expect("250 .*")
                    .send("MAIL FROM:<sender@example.net>").expect("250 .*")
                    .send("RCPT TO:<alice@example.org>").expect("250 .*")
                    .send("DATA").expect("354 .*").raw("Subject: through\r\n\r\nhello\r\n.\r\n").expect("250 .*")
                    .send("QUIT").expect("221 .*");
            assertThat(server.inbox("alice@example.org")).hasSize(1);
        }
    }
}
