package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.Ret;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.ManualClock;

class QueueTest {
    static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");
    static final QueueSettings SETTINGS = new QueueSettings(new RetrySchedule(
            List.of(Duration.ofMinutes(5), Duration.ofMinutes(10)), Duration.ofHours(1),
            Optional.of(Duration.ofMinutes(20))), "mx.test", Optional.of(new Mailbox("postmaster", "test")));
    static final byte[] MESSAGE = "Subject: hi\r\nFrom: a@example.org\r\n\r\nHello\r\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(T0);

    static Envelope envelope(String id, String sender, Recipient... rcpts) {
        Optional<Mailbox> from = sender == null ? Optional.empty() : Optional.of(mailbox(sender));
        return new Envelope(id, from, List.of(rcpts), BodyType.SEVEN_BIT, false, Ret.FULL, "env-1", T0, null,
                "192.0.2.9");
    }

    static Mailbox mailbox(String a) {
        int at = a.indexOf('@');
        return new Mailbox(a.substring(0, at), a.substring(at + 1));
    }

    static Recipient rcpt(String a) {
        return Recipient.of(mailbox(a));
    }

    /** A reply as on the wire, lines separated by CRLF. */
    static Reply reply(String wire) {
        return Reply.read(Integer.parseInt(wire.substring(0, 3)), Arrays.stream(wire.split("\r\n"))
                .map(l -> l.length() > 4 ? l.substring(4) : "").toList());
    }

    static Reason remote(String wire, String mta, String command) {
        return new Reason.Remote(reply(wire), mta, command);
    }

    static Reason local(String wire) {
        return new Reason.Local(reply(wire));
    }

    Queue open() throws IOException {
        return new Queue(dir, SETTINGS, clock, new PosixDisk());
    }

    @Test
    void committedMessageSurvivesRestartWithItsState() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("m1", "a@example.org", rcpt("b@example.net"),
                    new Recipient(mailbox("c@example.net"), Set.of(Notify.SUCCESS), "rfc822;c@example.net")), MESSAGE);
            q.record("m1", Map.of(0, new Result.Deferred(remote("451 4.3.0 try later\r\n451 4.3.0 really",
                    "mx [192.0.2.1]", "RCPT TO:<b@example.net>"))));
        }
        try (Queue q = open()) {
            QueueEntry e = q.get("m1").orElseThrow();
            assertThat(e.recipients()).hasSize(2);
            RecipientState b = e.recipients().get(0);
            assertThat(b.state()).isEqualTo(new State.Deferred(T0.plus(Duration.ofMinutes(5)),
                    remote("451 4.3.0 try later\r\n451 4.3.0 really", "mx [192.0.2.1]", "RCPT TO:<b@example.net>")));
            assertThat(b.attempts()).isEqualTo(1);
            assertThat(b.reason().orElseThrow().reply().lines()).containsExactly("try later", "really");
            assertThat(e.recipients().get(1).recipient().notifyOn()).containsExactly(Notify.SUCCESS);
            assertThat(e.envelope().envid()).isEqualTo("env-1");
            assertThat(Files.readAllBytes(q.message("m1"))).isEqualTo(MESSAGE);
        }
        assertThat(Files.readString(dir.resolve("m1.env"))).contains("recipient: b@example.net", "status: deferred");
    }

    /** RFC 8689 §4.1: what the sender asked of the transport stays with the message across a restart. */
    @Test
    void tlsRequirementSurvivesRestart() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("r1", "a@example.org", rcpt("b@example.net")).withTls(TlsRequirement.REQUIRED), MESSAGE);
            q.submit(envelope("r2", "a@example.org", rcpt("b@example.net")).withTls(TlsRequirement.NOT_REQUIRED),
                    MESSAGE);
            q.submit(envelope("r3", "a@example.org", rcpt("b@example.net")), MESSAGE);
            q.record("r1", Map.of(0, new Result.Deferred(local("451 4.7.5 certificate does not validate"))));
        }
        try (Queue q = open()) {
            assertThat(q.get("r1").orElseThrow().envelope().tls()).isEqualTo(TlsRequirement.REQUIRED);
            assertThat(q.get("r2").orElseThrow().envelope().tls()).isEqualTo(TlsRequirement.NOT_REQUIRED);
            assertThat(q.get("r3").orElseThrow().envelope().tls()).isEqualTo(TlsRequirement.POLICY);
        }
        assertThat(Files.readString(dir.resolve("r1.env"))).contains("tls: requiretls\n");
        assertThat(Files.readString(dir.resolve("r2.env"))).contains("tls: not-required\n");
        assertThat(Files.readString(dir.resolve("r3.env"))).doesNotContain("tls:");
    }

    @Test
    void secondOwnerIsRefused() throws IOException {
        try (Queue q = open()) {
            assertThatThrownBy(this::open).isInstanceOf(Queue.Busy.class);
        }
    }

    @Test
    void uncommittedDraftLeavesNothing() throws IOException {
        try (Queue q = open()) {
            try (Intake.Draft d = q.open(envelope("m2", "a@example.org", rcpt("b@example.net")))) {
                d.out().write(MESSAGE);
            }
            assertThat(q.entries()).isEmpty();
        }
        try (Queue q = open()) {
            assertThat(q.entries()).isEmpty();
            assertThat(dir.resolve("tmp")).isEmptyDirectory();
        }
    }

    @Test
    void brokenEntryIsSetAsideNotDeleted() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("m3", "a@example.org", rcpt("b@example.net")), MESSAGE);
        }
        Files.writeString(dir.resolve("m3.env"), "garbage without structure\n");
        try (Queue q = open()) {
            assertThat(q.entries()).isEmpty();
        }
        assertThat(dir.resolve("corrupt/m3.env")).exists();
        assertThat(dir.resolve("corrupt/m3.eml")).exists();
    }

    @Test
    void deliveredEntryIsRemovedAndRetryFollowsSchedule() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("m4", "a@example.org", rcpt("b@example.net")), MESSAGE);
            q.record("m4", Map.of(0, new Result.Deferred(local("421 4.4.2 timeout"))));
            clock.advance(Duration.ofMinutes(5));
            RecipientState r = q.record("m4", Map.of(0, new Result.Deferred(local("421 4.4.2 timeout"))))
                    .orElseThrow().recipients().get(0);
            assertThat(r.nextAttempt()).contains(clock.instant().plus(Duration.ofMinutes(10)));
            clock.advance(Duration.ofMinutes(10));
            r = q.record("m4", Map.of(0, new Result.Deferred(local("421 4.4.2 timeout"))))
                    .orElseThrow().recipients().get(0);
            assertThat(r.nextAttempt()).as("last interval repeats")
                    .contains(clock.instant().plus(Duration.ofMinutes(10)));
            assertThat(q.record("m4", Map.of(0, new Result.Delivered(remote("250 2.0.0 ok", "mx", null),
                    DsnDuty.FINAL)))).isEmpty();
            assertThat(q.entries()).isEmpty();
        }
        assertThat(dir.resolve("m4.env")).doesNotExist();
        assertThat(dir.resolve("m4.eml")).doesNotExist();
    }

    @Test
    void holdReleaseAndDelete() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("m5", "a@example.org", rcpt("b@example.net")), MESSAGE);
            assertThat(q.hold("m5")).isTrue();
            assertThat(q.due(clock.instant())).isEmpty();
            assertThat(q.release("m5")).isTrue();
            assertThat(q.due(clock.instant())).hasSize(1);
            assertThat(q.delete("m5")).isTrue();
            assertThat(q.delete("m5")).isFalse();
            assertThat(q.entries()).isEmpty();
        }
    }
    @Test
    void expiryAndAnOperatorBounceGetTheirBouncedLine() throws IOException {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("postwerk.mail");
        var lines = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
        lines.start();
        log.addAppender(lines);
        try (Queue q = open()) {
            q.submit(envelope("m6", "a@example.org", rcpt("b@example.net")), MESSAGE);
            q.submit(envelope("m7", "a@example.org", rcpt("c@example.net")), MESSAGE);
            clock.advance(Duration.ofHours(2)); // past max_lifetime
            q.record("m6", Map.of(0, new Result.Deferred(local("451 4.4.1 Connection to mx [192.0.2.1] failed"))));
            assertThat(q.bounce("m7")).isTrue();
        } finally {
            log.detachAppender(lines);
        }
        assertThat(lines.list).extracting(e -> e.getFormattedMessage()).filteredOn(l -> l.startsWith("bounced "))
                .containsExactly("bounced id=m6 to=<b@example.net> relay=none ip=- tls=none delay=7200s "
                                + "reply=\"451 4.4.1 Connection to mx [192.0.2.1] failed\" why=expired",
                        "bounced id=m7 to=<c@example.net> relay=none ip=- tls=none delay=7200s "
                                + "reply=\"550 5.0.0 Removed from the queue by the operator\" why=operator");
    }

    @Test
    void anAliasOfARecipientThatAskedForSuccessOnlyAsksForNothing() throws IOException {
        try (Queue q = open()) {
            q.submit(envelope("m8", "a@example.org", new Recipient(mailbox("team@example.org"), Set.of(Notify.SUCCESS),
                    null)), MESSAGE);
            QueueEntry e = q.record("m8", Map.of(0, new Result.Expanded(local("250 2.1.5 Forwarded"),
                    List.of(mailbox("x@example.net"))))).orElseThrow();
            // RFC 3461 §5.2.2: "expanded" reported the success; an empty NOTIFY would mean failures and delays.
            assertThat(e.recipients().get(1).recipient().notifyOn()).containsExactly(Notify.NEVER);
            assertThat(e.recipients().get(1).recipient().orcpt()).isEqualTo("rfc822;team@example.org");
        }
    }
}
