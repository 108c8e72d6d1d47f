package org.postwerk.srs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postwerk.account.Directory;
import org.postwerk.config.Network;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.ManualClock;

/** Whose mail gets an SRS sender at remote delivery, and how SRS addresses route at RCPT. */
class SrsCourierTest {
    private final ManualClock clock = new ManualClock();
    private final Srs srs = new Srs(List.of("s".getBytes(StandardCharsets.UTF_8)), "example.org",
            Duration.ofDays(21), clock);
    private final FakeDirectory accounts = new FakeDirectory("example.org", "example.net")
            .account("alice@example.org").account("carol@example.net")
            .forward("fwd@example.org", new Mailbox("friend", "remote.example"));
    private final List<Envelope> sent = new ArrayList<>();
    private final SrsCourier courier = new SrsCourier((e, r, m) -> {
        sent.add(e);
        return List.of();
    }, srs, new SrsDirectory(accounts, srs), List.of(Network.parse("192.0.2.0/24")), List.of("partner.example"));

    private static Envelope envelope(String sender, String authUser, String client) {
        Optional<Mailbox> from = sender.isEmpty() ? Optional.empty()
                : Optional.of(new Mailbox(sender.substring(0, sender.indexOf('@')), sender.substring(sender.indexOf('@') + 1)));
        return new Envelope("id1", from, List.of(Recipient.of(new Mailbox("friend", "remote.example"))),
                BodyType.SEVEN_BIT, false, null, null, Instant.EPOCH, authUser, client);
    }

    private String senderOf(Envelope e) {
        courier.deliver(e, e.recipients(), null);
        return sent.getLast().reversePath();
    }

    @Test
    void aStrangersForwardedMailIsRewritten() {
        assertThat(senderOf(envelope("bob@sender.example", null, "198.51.100.7")))
                .matches("<SRS0=[^=]{4}=[A-Z2-7]{2}=sender\\.example=bob@example\\.org>");
    }

    @Test
    void ourOwnClientsLocalAndExcludedSendersAndBouncesAreNot() {
        assertThat(senderOf(envelope("bob@sender.example", "alice@example.org", "198.51.100.7")))
                .isEqualTo("<bob@sender.example>");
        assertThat(senderOf(envelope("bob@sender.example", null, "192.0.2.9"))).isEqualTo("<bob@sender.example>");
        assertThat(senderOf(envelope("bob@sender.example", null, "localhost"))).isEqualTo("<bob@sender.example>");
        assertThat(senderOf(envelope("alice@Example.ORG", null, "198.51.100.7"))).isEqualTo("<alice@Example.ORG>");
        assertThat(senderOf(envelope("x@Partner.example", null, "198.51.100.7"))).isEqualTo("<x@Partner.example>");
        assertThat(senderOf(envelope("", null, "198.51.100.7"))).isEqualTo("<>");
    }

    @Test
    void anSrsAddressRoutesToTheOriginalSenderAndAForgedOneIsUnknown() {
        SrsDirectory directory = new SrsDirectory(accounts, srs);
        Mailbox remote = srs.forward(new Mailbox("bob", "sender.example"));
        assertThat(directory.route(remote)).isEqualTo(new Directory.Route.Local(java.util.Set.of(),
                List.of(new Mailbox("bob", "sender.example"))));
        Mailbox local = srs.forward(new Mailbox("carol", "example.net")); // a sender of ours: to her own mailbox
        assertThat(directory.route(local)).isEqualTo(new Directory.Route.Local(java.util.Set.of("carol@example.net"),
                List.of()));
        assertThat(directory.route(new Mailbox("SRS0=AAAA=AA=sender.example=bob", "example.org")))
                .isEqualTo(new Directory.Route.Unknown());
        assertThat(directory.route(new Mailbox("alice", "example.org"))).isEqualTo(accounts.route(
                new Mailbox("alice", "example.org")));
    }
}
