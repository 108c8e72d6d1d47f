package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.postwerk.account.Directory.Route;
import org.postwerk.sasl.ScramCredentials;
import org.postwerk.smtp.Mailbox;

/** Routing rules as a table over one hand-built snapshot. */
class RoutingTest {
    private static final ScramCredentials NO_SCRAM =
            new ScramCredentials(new byte[16], 4096, new byte[32], new byte[32]);

    private static Snapshot snapshot(List<String> users, Map<String, List<String>> aliases) {
        Map<String, Snapshot.User> u = new TreeMap<>();
        users.forEach(a -> u.put(a, new Snapshot.User(a, "$argon2id$", NO_SCRAM)));
        return new Snapshot(new TreeMap<>(u), new TreeSet<>(Set.of("second.example")), new TreeMap<>(aliases),
                List.of());
    }

    private static final Snapshot S = snapshot(
            List.of("alice@example.org", "bob@example.org", "admin@example.org", "carol@second.example"),
            Map.ofEntries(
                    Map.entry("sales@example.org", List.of("alice@example.org", "Bob@Example.org", "Ext@Remote.net")),
                    Map.entry("team@example.org", List.of("sales@example.org", "carol@second.example")),
                    Map.entry("alice@example.org", List.of("alice@example.org", "alice@remote.net")),
                    Map.entry("loop1@example.org", List.of("loop2@example.org")),
                    Map.entry("loop2@example.org", List.of("loop1@example.org")),
                    Map.entry("dangling@example.org", List.of("ghost@example.org", "bob@example.org")),
                    Map.entry("abuse@second.example", List.of("carol@second.example")),
                    Map.entry("@second.example", List.of("carol@second.example"))));

    private final Routing routing =
            new Routing(S, new AccountSettings(Set.of("example.org"), Optional.of("admin@example.org"), "+"));

    private Route route(String address) {
        int at = address.lastIndexOf('@');
        return routing.route(new Mailbox(address.substring(0, at), address.substring(at + 1)));
    }

    private static Route local(Set<String> accounts, String... forwards) {
        return new Route.Local(accounts, java.util.Arrays.stream(forwards)
                .map(f -> new Mailbox(f.substring(0, f.indexOf('@')), f.substring(f.indexOf('@') + 1))).toList());
    }

    @Test
    void usersAndCaseInsensitiveLocalParts() {
        assertThat(route("bob@example.org")).isEqualTo(local(Set.of("bob@example.org")));
        assertThat(route("BOB@EXAMPLE.ORG")).isEqualTo(local(Set.of("bob@example.org")));
        assertThat(route("nobody@example.org")).isEqualTo(new Route.Unknown());
        assertThat(route("bob@remote.net")).isEqualTo(new Route.Remote());
    }

    @Test
    void aliasesExpandRecursivelyKeepingRemoteTargetsAsWritten() {
        assertThat(route("sales@example.org"))
                .isEqualTo(local(Set.of("alice@example.org", "bob@example.org"), "alice@remote.net", "Ext@Remote.net"));
        assertThat(route("team@example.org")).isEqualTo(local(
                Set.of("alice@example.org", "bob@example.org", "carol@second.example"),
                "alice@remote.net", "Ext@Remote.net"));
    }

    @Test
    void anAliasNamingItselfKeepsALocalCopy() {
        assertThat(route("alice@example.org")).isEqualTo(local(Set.of("alice@example.org"), "alice@remote.net"));
    }

    @Test
    void loopsEndUnknownAndDanglingTargetsAreDropped() {
        assertThat(route("loop1@example.org")).isEqualTo(new Route.Unknown());
        assertThat(route("dangling@example.org")).isEqualTo(local(Set.of("bob@example.org")));
    }

    @Test
    void deepChainsStopAtTheDepthLimit() {
        Map<String, List<String>> chain = new TreeMap<>();
        for (int i = 0; i < Routing.MAX_DEPTH + 5; i++) {
            chain.put("a" + i + "@example.org", List.of("a" + (i + 1) + "@example.org"));
        }
        chain.put("a" + (Routing.MAX_DEPTH + 5) + "@example.org", List.of("bob@example.org"));
        chain.put("short@example.org", List.of("a" + (Routing.MAX_DEPTH + 1) + "@example.org"));
        Routing deep = new Routing(snapshot(List.of("bob@example.org"), chain), AccountSettings.of(Set.of("example.org")));
        assertThat(deep.route(new Mailbox("a0", "example.org"))).isEqualTo(new Route.Unknown());
        assertThat(deep.route(new Mailbox("short", "example.org"))).isEqualTo(local(Set.of("bob@example.org")));
    }

    @Test
    void plusAddressingFallsBackToTheBaseAddress() {
        assertThat(route("bob+lists@example.org")).isEqualTo(local(Set.of("bob@example.org")));
        assertThat(route("Sales+x@example.org")).isEqualTo(route("sales@example.org"));
        assertThat(route("nobody+x@example.org")).isEqualTo(new Route.Unknown());
        Routing minus = new Routing(S, new AccountSettings(Set.of("example.org"), Optional.empty(), "-"));
        assertThat(minus.route(new Mailbox("bob-x", "example.org"))).isEqualTo(local(Set.of("bob@example.org")));
        assertThat(minus.route(new Mailbox("bob+x", "example.org"))).isEqualTo(new Route.Unknown());
    }

    @Test
    void postmasterAndAbuseDefaultToTheConfiguredAccountUnlessAliased() {
        assertThat(route("Postmaster@example.org")).isEqualTo(local(Set.of("admin@example.org")));
        assertThat(route("abuse@example.org")).isEqualTo(local(Set.of("admin@example.org")));
        assertThat(route("postmaster@second.example")).isEqualTo(local(Set.of("admin@example.org")));
        assertThat(route("abuse@second.example")).isEqualTo(local(Set.of("carol@second.example")));
        Routing none = new Routing(S, AccountSettings.of(Set.of("example.org")));
        // No postmaster configured: the role address still takes mail (RFC 5321 §4.5.1), into its own mailbox.
        assertThat(none.route(new Mailbox("postmaster", "example.org"))).isEqualTo(local(Set.of("postmaster@example.org")));
    }

    @Test
    void catchAllTakesWhatNothingElseDoes() {
        assertThat(route("anything@second.example")).isEqualTo(local(Set.of("carol@second.example")));
        assertThat(route("carol@second.example")).isEqualTo(local(Set.of("carol@second.example")));
        assertThat(route("anything@example.org")).isEqualTo(new Route.Unknown());
        assertThat(routing.isLocalDomain("SECOND.example")).isTrue();
    }
}
