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
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;

class EntryCodecTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void roundTripKeepsAwkwardValues() throws Exception {
        Envelope env = new Envelope("id-1", Optional.of(new Mailbox("odd \"local\"", "exämple.org")),
                List.of(new Recipient(new Mailbox("b", "example.net"), Set.of(Notify.SUCCESS, Notify.DELAY),
                        "rfc822;b+2Bx@example.net")), BodyType.EIGHT_BIT_MIME, true, Ret.HDRS, "env id\\with\nbreak",
                T, "alice", "[192.0.2.1]");
        RecipientState r = new RecipientState(env.recipients().getFirst(), Status.DEFERRED, 3, T.plusSeconds(60),
                "451-4.7.1 first\r\n451 4.7.1 second \\ backslash", "mx [192.0.2.2]", "RCPT TO:<b@example.net>", false,
                true);
        QueueEntry e = new QueueEntry(env, List.of(r), true, 1234);
        QueueEntry back = EntryCodec.decode(EntryCodec.encode(e), 1234);
        assertThat(back).isEqualTo(e);
        assertThat(new String(EntryCodec.encode(e), StandardCharsets.UTF_8)).contains("status: deferred\n")
                .doesNotContain("\r");
    }

    @Test
    void nullSenderAndMissingOptionals() throws Exception {
        Envelope env = new Envelope("id-2", Optional.empty(), List.of(Recipient.of(new Mailbox("b", "example.net"))),
                BodyType.SEVEN_BIT, false, null, null, T, null, null);
        QueueEntry e = new QueueEntry(env, List.of(RecipientState.fresh(env.recipients().getFirst(), T)), false, 1);
        assertThat(EntryCodec.decode(EntryCodec.encode(e), 1)).isEqualTo(e);
    }

    @Test
    void brokenFilesAreCorruptNotExceptions() {
        for (String text : List.of("", "id: x\n", "id: x\nsender: <>\nbody: SEVEN_BIT\nreceived: yesterday\n"
                + "recipient: b@example.net\n  status: pending\n  attempts: 0\n  next-attempt: " + T + "\n",
                "  status: pending\n", "no colon here\n",
                "id: x\nsender: <>\nbody: NINE_BIT\nreceived: " + T + "\nrecipient: b@example.net\n")) {
            assertThatThrownBy(() -> EntryCodec.decode(text.getBytes(StandardCharsets.UTF_8), 0))
                    .as(text).isInstanceOf(EntryCodec.Corrupt.class);
        }
    }
}
