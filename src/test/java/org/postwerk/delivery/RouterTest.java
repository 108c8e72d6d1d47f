package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Reason;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.testkit.FakeDirectory;

/** Queued local delivery along the routes the recipients carry; the directory only for those without one. */
class RouterTest {
    @TempDir
    Path dir;
    final MemoryStore store = new MemoryStore();
    final FakeDirectory directory = new FakeDirectory("example.org").account("alice@example.org");
    final Courier remote = (env, rcpts, msg) -> rcpts.stream().<Outcome>map(r -> new Outcome.Failed(
            Outcome.ours(LocalCourier.NO_SUCH_USER), null)).toList();
    final Router router = new Router(directory, new LocalCourier(store), remote);

    private List<Outcome> deliver(Recipient... rcpts) throws IOException {
        Path message = dir.resolve("m.eml");
        Files.writeString(message, "Subject: t\r\n\r\nbody\r\n");
        Envelope e = new Envelope("q1", Optional.of(new Mailbox("x", "example.net")), List.of(rcpts),
                BodyType.SEVEN_BIT, false, null, null, Instant.now(), null, null);
        return router.deliver(e, e.recipients(), message);
    }

    private static Recipient routed(String address, Route route) {
        int at = address.indexOf('@');
        return new Recipient(new Mailbox(address.substring(0, at), address.substring(at + 1)), Set.of(), null, route);
    }

    @Test
    void eachFolderGetsItsCopyAsTheRouteSays() throws IOException {
        List<Outcome> out = deliver(
                routed("alice@example.org", new Route.Local(List.of("alice@example.org"), List.of(), "Junk")),
                routed("bob@example.org", new Route.Local(List.of("bob@example.org"), List.of(), "Junk")),
                routed("carol@example.org", Route.local(List.of("carol@example.org"), List.of())));
        assertThat(out).allMatch(o -> o instanceof Outcome.Delivered);
        assertThat(store.stored).extracting(MemoryStore.Stored::folder, MemoryStore.Stored::accounts)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("Junk",
                        List.of("alice@example.org", "bob@example.org")),
                        org.assertj.core.groups.Tuple.tuple("INBOX", List.of("carol@example.org")));
        assertThat(store.stored).allSatisfy(s -> assertThat(s.content())
                .startsWith("Return-Path: <x@example.net>\r\n"));
    }

    @Test
    void anAliasKeepsItsCopyAndExpands() throws IOException {
        Mailbox friend = new Mailbox("friend", "elsewhere.example");
        List<Outcome> out = deliver(routed("team@example.org",
                new Route.Local(List.of("alice@example.org"), List.of(friend), "Junk")));
        assertThat(out).singleElement().isInstanceOfSatisfying(Outcome.Expanded.class,
                x -> assertThat(x.to()).containsExactly(friend));
        assertThat(store.stored).singleElement().extracting(MemoryStore.Stored::folder).isEqualTo("Junk");
    }

    @Test
    void withoutARouteTheDirectoryDecidesNow() throws IOException {
        List<Outcome> out = deliver(routed("alice@example.org", Route.UNRESOLVED),
                routed("nobody@example.org", Route.UNRESOLVED), routed("b@remote.example", Route.UNRESOLVED));
        assertThat(out.get(0)).isInstanceOf(Outcome.Delivered.class);
        assertThat(out.get(1)).isInstanceOfSatisfying(Outcome.Failed.class, f -> assertThat(f.reason())
                .isEqualTo(new Reason.Local(LocalCourier.NO_SUCH_USER)));
        assertThat(out.get(2)).as("to the remote courier").isInstanceOf(Outcome.Failed.class);
        assertThat(store.stored).singleElement().satisfies(s -> {
            assertThat(s.accounts()).containsExactly("alice@example.org");
            assertThat(s.folder()).isEqualTo("INBOX");
        });
    }

    @Test
    void aStoreProblemDefersTheLocalRecipients() throws IOException {
        store.broken = true;
        assertThat(deliver(routed("alice@example.org", Route.local(List.of("alice@example.org"), List.of()))))
                .singleElement().isInstanceOf(Outcome.Deferred.class);
    }
}
