package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postwerk.queue.QueueTest.envelope;
import static org.postwerk.queue.QueueTest.local;
import static org.postwerk.queue.QueueTest.mailbox;
import static org.postwerk.queue.QueueTest.rcpt;
import static org.postwerk.queue.QueueTest.remote;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.ManualClock;

/**
 * Each kind of DSN compared with a golden file ({@code src/test/resources/golden/dsn-*.eml}) after
 * normalising only dates, the report's id and its MIME boundary. Run with {@code -Dgolden.update=true} to
 * write the files anew from the code, then read the diff.
 */
class DsnGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final byte[] MESSAGE = ("Received: from client.example.org ([192.0.2.9])\r\n\tby mx.test (Postwerk)"
            + " with ESMTP id m1\r\nFrom: Alice <alice@example.org>\r\nTo: <b@example.net>\r\nSubject: hi\r\n"
            + "Message-ID: <1@example.org>\r\n\r\nHello,\r\nthe body.\r\n").getBytes(StandardCharsets.UTF_8);
    private static final Pattern DATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{1,2} [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d [+-]\\d{4}");

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(QueueTest.T0);

    /** One kind of report: what happened to the original, and the settings of the queue. */
    record Case(String name, long cap, Scenario scenario) {
        @Override
        public String toString() {
            return name;
        }
    }

    interface Scenario {
        void run(Queue q, ManualClock clock) throws Exception;
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("failure-remote", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", rcpt("b@example.net")), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Failed(remote("550-5.1.1 <b@example.net>: no such user\r\n"
                            + "550 5.1.1 see https://example.net/help", "mx1.example.net [192.0.2.1]",
                            "RCPT TO:<b@example.net>"))));
                }),
                new Case("failure-local-null-mx", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", rcpt("b@nullmx.example")), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Failed(local(
                            "556 5.1.10 Recipient domain does not accept mail (null MX)"))));
                }),
                new Case("failure-expired", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", new Recipient(mailbox("b@example.net"),
                            Set.of(Notify.FAILURE), "rfc822;b@example.net")), MESSAGE);
                    c.advance(Duration.ofHours(2));
                    q.record("m1", Map.of(0, new Result.Deferred(local(
                            "451 4.4.1 Connection to mx1.example.net [192.0.2.1] failed: Connection refused"))));
                }),
                new Case("delay", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", rcpt("b@example.net")), MESSAGE);
                    c.advance(Duration.ofMinutes(25));
                    q.record("m1", Map.of(0, new Result.Deferred(remote("451 4.7.1 greylisted, try again later",
                            "mx1.example.net [192.0.2.1]", "RCPT TO:<b@example.net>"))));
                }),
                new Case("success", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", new Recipient(mailbox("bob@example.org"),
                            Set.of(Notify.SUCCESS), null)), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Delivered(local("250 2.0.0 Delivered to mailbox"),
                            DsnDuty.FINAL)));
                }),
                new Case("relayed", 50_000, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", new Recipient(mailbox("b@example.net"),
                            Set.of(Notify.SUCCESS, Notify.FAILURE), null)), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Delivered(remote("250 2.0.0 queued as 4711",
                            "mx1.example.net [192.0.2.1]", "end of data"), DsnDuty.RELAYED)));
                }),
                new Case("capped-return", 200, (q, c) -> {
                    q.submit(envelope("m1", "alice@example.org", rcpt("b@example.net")), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Failed(remote("552 5.3.4 message too big",
                            "mx1.example.net [192.0.2.1]", "end of data"))));
                }),
                new Case("headers-only-ret-hdrs", 50_000, (q, c) -> {
                    Envelope e = envelope("m1", "alice@example.org", rcpt("b@example.net"));
                    q.submit(new Envelope(e.id(), e.sender(), e.recipients(), e.body(), false, Ret.HDRS, e.envid(),
                            e.received(), null, null), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Failed(remote("550 5.7.1 rejected by policy",
                            "mx1.example.net [192.0.2.1]", "end of data"))));
                }),
                new Case("bounce-to-postmaster", 50_000, (q, c) -> {
                    q.submit(envelope("m1", null, rcpt("b@example.net")), MESSAGE);
                    q.record("m1", Map.of(0, new Result.Failed(remote("550 5.1.1 no such user",
                            "mx1.example.net [192.0.2.1]", "RCPT TO:<b@example.net>"))));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheGoldenFile(Case c) throws Exception {
        QueueSettings s = QueueTest.SETTINGS;
        String dsn;
        try (Queue q = new Queue(dir, new QueueSettings(s.retry(), s.reportingMta(), s.postmaster(), c.cap()), clock,
                new PosixDisk())) {
            c.scenario().run(q, clock);
            List<QueueEntry> reports = q.entries().stream().filter(e -> e.envelope().sender().isEmpty()
                    && !e.id().equals("m1")).toList();
            assertThat(reports).hasSize(1);
            dsn = Files.readString(q.message(reports.getFirst().id()), StandardCharsets.UTF_8);
        }
        String normal = normalise(dsn);
        Path golden = GOLDEN.resolve("dsn-" + c.name() + ".eml");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(golden, normal, StandardCharsets.UTF_8);
        }
        assertThat(normal).isEqualTo(Files.readString(golden, StandardCharsets.UTF_8));
    }

    /** Dates become DATE, the report's id ID and its boundary BOUNDARY; nothing else changes. */
    static String normalise(String dsn) {
        Matcher id = Pattern.compile("\r\nMessage-ID: <([^@>]+)@").matcher(dsn);
        Matcher boundary = Pattern.compile("boundary=\"([^\"]+)\"").matcher(dsn);
        assertThat(id.find() && boundary.find()).as("a Message-ID and a boundary").isTrue();
        return DATE.matcher(dsn.replace(boundary.group(1), "BOUNDARY").replace(id.group(1), "ID")).replaceAll("DATE");
    }
}
