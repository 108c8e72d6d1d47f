package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.EnhancedStatus;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.Ret;

class EntryCodecTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static QueueEntry roundTrip(QueueEntry e) throws EntryCodec.Corrupt {
        return EntryCodec.decode(EntryCodec.encode(e), e.size());
    }

    @Test
    void roundTripKeepsAwkwardValues() throws Exception {
        Envelope env = new Envelope("id-1", Optional.of(new Mailbox("odd \"local\"", "exämple.org")),
                List.of(new Recipient(new Mailbox("b", "example.net"), Set.of(Notify.SUCCESS, Notify.DELAY),
                        "rfc822;b+2Bx@example.net")), BodyType.EIGHT_BIT_MIME, true, Ret.HDRS, "env id\\with\nbreak",
                T, "alice", "[192.0.2.1]");
        Reply reply = new Reply(451, EnhancedStatus.of(4, 7, 1), List.of("first", "second \\ backslash"));
        RecipientState r = new RecipientState(env.recipients().getFirst(), new State.Deferred(T.plusSeconds(60),
                new Reason.Remote(reply, "mx [192.0.2.2]", "RCPT TO:<b@example.net>")), 3, false, true);
        QueueEntry e = new QueueEntry(env, List.of(r), true, 1234);
        assertThat(roundTrip(e)).isEqualTo(e);
        assertThat(new String(EntryCodec.encode(e), StandardCharsets.UTF_8)).contains("status: deferred\n",
                "reply-code: 451\n", "reply-status: 4.7.1\n", "reply-text: first\n",
                "reply-text: second \\\\ backslash\n",
                "remote-mta: mx [192.0.2.2]\n").doesNotContain("\r");
    }

    @Test
    void everyStateAndRouteRoundTrips() throws Exception {
        Reply ok = Reply.of(250, 2, 0, 0, "ok");
        Reply bare = Reply.plain(550, List.of("5.1.1 is text here, not a status"));
        List<State> states = List.of(new State.Pending(T), new State.Deferred(T, new Reason.Local(
                        Reply.of(451, 4, 4, 1, "Connection to mx [192.0.2.1] failed: refused"))),
                new State.Delivered(new Reason.Local(ok), DsnDuty.FINAL),
                new State.Delivered(new Reason.Remote(ok, "mx", "end of data"), DsnDuty.NEXT_HOP),
                new State.Delivered(new Reason.Remote(ok, "mx", null), DsnDuty.RELAYED),
                new State.Expanded(new Reason.Local(Reply.of(250, 2, 1, 5, "Forwarded"))),
                new State.Failed(new Reason.Remote(bare, "mx", "RCPT TO:<b@example.net>")),
                new State.Expired(new Reason.Local(Reply.of(451, 4, 4, 3, "DNS"))));
        List<Route> routes = List.of(Route.UNRESOLVED, new Route.Remote(),
                new Route.Local(List.of("alice@example.org", "bob@example.org"),
                        List.of(new Mailbox("friend", "elsewhere.example")), "Junk"),
                Route.local(List.of(), List.of(new Mailbox("x", "y.example"))));
        for (State s : states) {
            for (Route route : routes) {
                Recipient rcpt = new Recipient(new Mailbox("b", "example.net"), Set.of(), null, route);
                Envelope env = new Envelope("id", Optional.empty(), List.of(rcpt), BodyType.SEVEN_BIT, false, null,
                        null, T, null, null);
                QueueEntry e = new QueueEntry(env, List.of(new RecipientState(rcpt, s, 1, true, false)), false, 1);
                assertThat(roundTrip(e)).as(s + " " + route).isEqualTo(e);
            }
        }
    }

    @Test
    void anUnknownTlsRequirementIsCorrupt() {
        Envelope env = new Envelope("id-3", Optional.empty(), List.of(Recipient.of(new Mailbox("b", "example.net"))),
                BodyType.SEVEN_BIT, false, null, null, T, null, null, org.postwerk.smtp.TlsRequirement.REQUIRED);
        QueueEntry e = new QueueEntry(env, List.of(RecipientState.fresh(env.recipients().getFirst(), T)), false, 1);
        String text = new String(EntryCodec.encode(e), StandardCharsets.UTF_8);
        assertThat(text).contains("tls: requiretls\n");
        assertThatThrownBy(() -> EntryCodec.decode(text.replace("tls: requiretls", "tls: maybe")
                .getBytes(StandardCharsets.UTF_8), 1)).isInstanceOf(EntryCodec.Corrupt.class);
    }

    @Test
    void nullSenderAndMissingOptionals() throws Exception {
        Envelope env = new Envelope("id-2", Optional.empty(), List.of(Recipient.of(new Mailbox("b", "example.net"))),
                BodyType.SEVEN_BIT, false, null, null, T, null, null);
        QueueEntry e = new QueueEntry(env, List.of(RecipientState.fresh(env.recipients().getFirst(), T)), false, 1);
        assertThat(roundTrip(e)).isEqualTo(e);
    }

    /** An envelope file as the version before typed replies and routes wrote it. */
    @Test
    void filesOfTheEarlierFormatAreRead() throws Exception {
        String old = """
                id: q1
                sender: <a@example.org>
                received: 2026-01-01T00:00:00Z
                body: SEVEN_BIT
                smtputf8: false
                held: false
                recipient: b@example.net
                  status: deferred
                  attempts: 2
                  next-attempt: 2026-01-01T00:10:00Z
                  last-reply: 451-4.7.1 first\\r\\n451 4.7.1 second
                  remote-mta: mx.example.net [192.0.2.1]
                  command: RCPT TO:<b@example.net>
                  reported: false
                  delay-warned: false
                recipient: c@example.net
                  status: failed
                  attempts: 1
                  next-attempt: 2026-01-01T00:00:00Z
                  last-reply: 556 5.1.10 Recipient domain does not accept mail (null MX)
                  reported: true
                  delay-warned: false
                """;
        QueueEntry e = EntryCodec.decode(old.getBytes(StandardCharsets.UTF_8), 10);
        RecipientState b = e.recipients().get(0);
        assertThat(b.recipient().route()).isEqualTo(Route.UNRESOLVED);
        assertThat(b.state()).isEqualTo(new State.Deferred(Instant.parse("2026-01-01T00:10:00Z"), new Reason.Remote(
                new Reply(451, EnhancedStatus.of(4, 7, 1), List.of("first", "second")), "mx.example.net [192.0.2.1]",
                "RCPT TO:<b@example.net>")));
        assertThat(e.recipients().get(1).state()).isEqualTo(new State.Failed(new Reason.Local(
                Reply.of(556, 5, 1, 10, "Recipient domain does not accept mail (null MX)"))));
        assertThat(roundTrip(e)).isEqualTo(e);
    }

    @Test
    void brokenFilesAreCorruptNotExceptions() {
        String head = "id: x\nsender: <>\nbody: SEVEN_BIT\nreceived: " + T + "\nrecipient: b@example.net\n";
        for (String text : List.of("", "id: x\n", "id: x\nsender: <>\nbody: SEVEN_BIT\nreceived: yesterday\n"
                        + "recipient: b@example.net\n  status: pending\n  attempts: 0\n  next-attempt: " + T + "\n",
                "  status: pending\n", "no colon here\n",
                "id: x\nsender: <>\nbody: NINE_BIT\nreceived: " + T + "\nrecipient: b@example.net\n",
                head + "  status: failed\n  attempts: 1\n",
                head + "  status: failed\n  attempts: 1\n  reply-code: 550\n  reply-status: 4.1.1\n  reply-text: x\n",
                head + "  status: failed\n  attempts: 1\n  reply-code: 550\n",
                head + "  status: failed\n  attempts: 1\n  last-reply: 550 a\\r\\n451 b\n",
                head + "  status: lost\n  attempts: 1\n",
                head + "  route: sideways\n  status: pending\n  attempts: 0\n  next-attempt: " + T + "\n",
                head + "  route: local\n  status: pending\n  attempts: 0\n  next-attempt: " + T + "\n")) {
            assertThatThrownBy(() -> EntryCodec.decode(text.getBytes(StandardCharsets.UTF_8), 0))
                    .as(text).isInstanceOf(EntryCodec.Corrupt.class);
        }
    }
}
