package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.account.Directory.Route;
import org.postwerk.sasl.PasswordCheck;
import org.postwerk.sasl.ScramCredentials;
import org.postwerk.smtp.Mailbox;

class AccountStoreTest {
    @TempDir
    Path dir;

    private AccountStore store;
    private AccountEditor editor;
    private final HashPool pool = new HashPool(1, 8);
    private Passwords passwords;

    @BeforeEach
    void open() {
        store = new AccountStore(dir, new AccountSettings(Set.of("Example.org"), Optional.of("admin@example.org"), "+"));
        editor = new AccountEditor(store);
        passwords = new Passwords(store, pool);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    private boolean login(String user, String password) {
        return passwords.authenticate(user, password.toCharArray()) == PasswordCheck.VALID;
    }

    private static Change applied() {
        return new Change.Applied();
    }

    @Test
    void usersAuthenticateWithArgon2AndCarryScramCredentials() throws IOException {
        assertThat(editor.addUser("Alice@Example.org", "s3cret".toCharArray())).isEqualTo(applied());
        assertThat(store.users()).containsExactly("alice@example.org");
        assertThat(login("alice@example.org", "s3cret")).isTrue();
        assertThat(login("ALICE@example.org", "s3cret")).isTrue();
        assertThat(login("alice@example.org", "S3cret")).isFalse();
        assertThat(login("nobody@example.org", "s3cret")).isFalse();

        ScramCredentials scram = passwords.scram("alice@example.org").orElseThrow();
        assertThat(scram.iterations()).isEqualTo(4096);
        assertThat(ScramCredentials.derive("s3cret".toCharArray(), scram.salt(), 4096)).isEqualTo(scram);
        assertThat(passwords.scram("nobody@example.org")).isEmpty();

        String users = Files.readString(dir.resolve("users"));
        assertThat(users).contains("alice@example.org $argon2id$v=19$m=19456,t=2,p=1$", " SCRAM-SHA-256$4096:")
                .doesNotContain("s3cret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("users"))))
                .isEqualTo("rw-------");
    }

    @Test
    void rememberedLoginsEndWithAPasswordChangeAndNeverAcceptAWrongPassword() throws IOException {
        editor.addUser("carol@example.org", "first".toCharArray());
        assertThat(login("carol@example.org", "first")).isTrue();
        assertThat(login("Carol@Example.org", "first")).isTrue(); // remembered
        assertThat(login("carol@example.org", "firsT")).isFalse();
        editor.setPassword("carol@example.org", "second".toCharArray());
        assertThat(login("carol@example.org", "first")).isFalse();
        assertThat(login("carol@example.org", "second")).isTrue();
        editor.removeUser("carol@example.org");
        assertThat(login("carol@example.org", "second")).isFalse();
    }

    @Test
    void passwdReplacesBothHashesAndDelRemoves() throws IOException {
        editor.addUser("bob@example.org", "old".toCharArray());
        ScramCredentials before = passwords.scram("bob@example.org").orElseThrow();
        assertThat(editor.setPassword("bob@example.org", "new".toCharArray())).isEqualTo(applied());
        assertThat(login("bob@example.org", "old")).isFalse();
        assertThat(login("bob@example.org", "new")).isTrue();
        assertThat(passwords.scram("bob@example.org").orElseThrow()).isNotEqualTo(before);
        assertThat(editor.removeUser("bob@example.org")).isEqualTo(applied());
        assertThat(store.users()).isEmpty();
        assertThat(editor.removeUser("bob@example.org")).isEqualTo(new Change.Refused("no such user: bob@example.org"));
        assertThat(editor.setPassword("bob@example.org", "x".toCharArray())).isInstanceOf(Change.Refused.class);
    }

    @Test
    void refusesUsersOutsideLocalDomainsDuplicatesAndBadAddresses() throws IOException {
        assertThat(editor.addUser("carol@other.net", "pw".toCharArray()))
                .isEqualTo(new Change.Refused("other.net is not a local domain"));
        assertThat(editor.addUser("no-at-sign", "pw".toCharArray())).isInstanceOf(Change.Refused.class);
        assertThat(editor.addUser("a b@example.org", "pw".toCharArray())).isInstanceOf(Change.Refused.class);
        assertThat(editor.addUser("dave@example.org", new char[0])).isEqualTo(new Change.Refused("empty password"));
        editor.addUser("dave@example.org", "pw".toCharArray());
        assertThat(editor.addUser("DAVE@example.org", "pw".toCharArray()))
                .isEqualTo(new Change.Refused("dave@example.org already exists"));
    }

    @Test
    void domainsComeFromConfigAndFromTheFile() throws IOException {
        assertThat(store.isLocalDomain("EXAMPLE.ORG")).isTrue();
        assertThat(store.isLocalDomain("other.net")).isFalse();
        assertThat(editor.addDomain("Other.net")).isEqualTo(applied());
        assertThat(store.isLocalDomain("other.net")).isTrue();
        assertThat(store.domains()).containsExactly("example.org", "other.net");
        assertThat(editor.addDomain("example.org")).isEqualTo(new Change.Refused("example.org is already local"));
        assertThat(editor.removeDomain("example.org")).isInstanceOf(Change.Refused.class);

        editor.addUser("erin@other.net", "pw".toCharArray());
        assertThat(editor.removeDomain("other.net"))
                .isEqualTo(new Change.Refused("other.net still has 1 user(s) and 0 alias(es)"));
        editor.removeUser("erin@other.net");
        assertThat(editor.removeDomain("other.net")).isEqualTo(applied());
        assertThat(store.isLocalDomain("other.net")).isFalse();
    }

    @Test
    void domainAddRefusesWhatIsNotADomainNameAndKeepsTheALabel() throws IOException {
        for (String bad : List.of("..", "/", "../x", "a/b.example", "*", "*.example", "a..example", "exa mple.org",
                "a_b.example", "-a.example", "example.org.", "192.0.2.1", "[192.0.2.1]", "", "a".repeat(64) + ".example")) {
            assertThat(editor.addDomain(bad)).as(bad).isInstanceOf(Change.Refused.class);
        }
        assertThat(store.domains()).containsExactly("example.org");
        assertThat(dir.resolve("domains")).doesNotExist();

        assertThat(editor.addDomain("Bücher.Example")).isEqualTo(applied());
        assertThat(store.domains()).containsExactly("example.org", "xn--bcher-kva.example");
        assertThat(Files.readString(dir.resolve("domains"))).endsWith("\nxn--bcher-kva.example\n");
        assertThat(editor.addDomain("xn--bcher-kva.example"))
                .isEqualTo(new Change.Refused("xn--bcher-kva.example is already local"));
        assertThat(store.isLocalDomain("bücher.example")).isTrue();
        assertThat(store.isLocalDomain("XN--BCHER-KVA.EXAMPLE")).isTrue();
    }

    @Test
    void uLabelAndALabelSpellingsReachOneAccount() throws IOException {
        editor.addDomain("bücher.example");
        assertThat(editor.addUser("Alice@Bücher.example", "pw".toCharArray())).isEqualTo(applied());
        assertThat(editor.addUser("alice@xn--bcher-kva.example", "pw".toCharArray()))
                .isEqualTo(new Change.Refused("alice@xn--bcher-kva.example already exists"));
        assertThat(store.users()).containsExactly("alice@xn--bcher-kva.example");
        Route alice = new Route.Local(Set.of("alice@xn--bcher-kva.example"), List.of());
        assertThat(store.route(new Mailbox("alice", "bücher.example"))).isEqualTo(alice);
        assertThat(store.route(new Mailbox("ALICE", "XN--BCHER-KVA.example"))).isEqualTo(alice);
        assertThat(login("alice@bücher.example", "pw")).isTrue();
        editor.addAlias("@Bücher.example", List.of("alice@bücher.example"));
        assertThat(store.route(new Mailbox("anyone", "xn--bcher-kva.example"))).isEqualTo(alice);
    }

    @Test
    void userAddRefusesLocalPartsThatAreNotPlainDotStrings() throws IOException {
        for (String bad : List.of("a/b", ".hidden", ".", "..", "a..b", "a.", "#a", "a\\b", "\"a b\"", "a\u0001b",
                "x".repeat(65))) {
            assertThat(editor.addUser(bad + "@example.org", "pw".toCharArray())).as(bad)
                    .isInstanceOf(Change.Refused.class);
        }
        assertThat(store.users()).isEmpty();
        for (String good : List.of("a_b", "_.hidden", "first.last", "o'brien", "x+y", "ñandú", "x".repeat(64))) {
            assertThat(editor.addUser(good + "@example.org", "pw".toCharArray())).as(good).isEqualTo(applied());
        }
    }

    @Test
    void aliasesAddAndRemoveTargets() throws IOException {
        assertThat(editor.addAlias("sales@example.org", List.of("alice@example.org"))).isEqualTo(applied());
        assertThat(editor.addAlias("Sales@example.org", List.of("bob@other.net", "alice@example.org")))
                .isEqualTo(applied());
        assertThat(store.aliases()).containsEntry("sales@example.org", List.of("alice@example.org", "bob@other.net"));
        assertThat(Files.readString(dir.resolve("aliases")))
                .contains("\nsales@example.org: alice@example.org, bob@other.net\n");
        assertThat(editor.addAlias("x@nowhere.net", List.of("a@example.org"))).isInstanceOf(Change.Refused.class);
        assertThat(editor.addAlias("x@example.org", List.of("not an address"))).isInstanceOf(Change.Refused.class);

        assertThat(editor.removeAlias("sales@example.org", List.of("BOB@other.net"))).isEqualTo(applied());
        assertThat(store.aliases()).containsEntry("sales@example.org", List.of("alice@example.org"));
        assertThat(editor.removeAlias("sales@example.org", List.of())).isEqualTo(applied());
        assertThat(store.aliases()).isEmpty();
        assertThat(editor.removeAlias("sales@example.org", List.of())).isInstanceOf(Change.Refused.class);
    }

    @Test
    void aRunningStoreSeesChangesMadeByAnotherProcess() throws IOException {
        // A second store and editor on the same directory stand in for the CLI process.
        AccountStore cli = new AccountStore(dir, AccountSettings.of(Set.of("example.org")));
        AccountEditor cliEditor = new AccountEditor(cli);
        Mailbox frank = new Mailbox("frank", "example.org");
        assertThat(store.route(frank)).isEqualTo(new Route.Unknown());
        cliEditor.addUser("frank@example.org", "pw".toCharArray());
        assertThat(store.route(frank)).isEqualTo(new Route.Local(Set.of("frank@example.org"), List.of()));
        cliEditor.addAlias("frank@example.org", List.of("frank@elsewhere.net"));
        assertThat(store.route(frank))
                .isEqualTo(new Route.Local(Set.of(), List.of(new Mailbox("frank", "elsewhere.net"))));
        assertThat(login("frank@example.org", "pw")).isTrue();
    }

    @Test
    void handEditedFilesAreReadAndBadLinesReported() throws IOException {
        Files.writeString(dir.resolve("domains"), "# mine\n\nhand.example\nnot a domain\n");
        Files.writeString(dir.resolve("aliases"), "info@hand.example: Someone@Remote.example\nbroken line\n");
        Files.writeString(dir.resolve("users"), "x@hand.example plaintext-password\n");
        assertThat(store.route(new Mailbox("INFO", "hand.example")))
                .isEqualTo(new Route.Local(Set.of(), List.of(new Mailbox("Someone", "Remote.example"))));
        assertThat(store.problems()).containsExactly("users:1: expected: address argon2id-hash scram-credentials",
                "domains:4: \"not a domain\" is not a valid domain name: ' ' is not allowed (only letters, digits, "
                        + "'-' and '.')", "aliases:2: expected: address: target, target");
        assertThat(login("x@hand.example", "plaintext-password")).isFalse();
    }

    @Test
    void writesLeaveNoTemporaryFilesBehind() throws IOException {
        editor.addDomain("other.net");
        editor.addUser("a@other.net", "pw".toCharArray());
        editor.addAlias("b@other.net", List.of("a@other.net"));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".lock", "users", "domains", "aliases");
        }
    }
}
