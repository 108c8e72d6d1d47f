package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.Directory.Route;
import org.postwerk.account.HashPool;
import org.postwerk.account.Passwords;
import org.postwerk.sasl.PasswordCheck;
import org.postwerk.smtp.Mailbox;
import picocli.CommandLine;

/** The account commands run through picocli as {@code Main} runs them, against a temporary data directory. */
class AccountCommandsTest {
    @TempDir
    Path data;

    private String stdin = "";
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs one command line with {@link #stdin} as a non-terminal standard input. */
    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        PasswordInput input = new PasswordInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == UserCommand.Add.class) {
                    return type.cast(new UserCommand.Add(input));
                }
                if (type == UserCommand.Passwd.class) {
                    return type.cast(new UserCommand.Passwd(input));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine cmd = new CommandLine(new PostwerkCommand(), factory);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        String[] withDir = new String[args.length + 2];
        System.arraycopy(args, 0, withDir, 0, args.length);
        withDir[args.length] = "--data-dir";
        withDir[args.length + 1] = data.toString();
        return cmd.execute(withDir);
    }

    private AccountStore store() {
        return new AccountStore(data.resolve("accounts"), AccountSettings.of(Set.of()));
    }

    private boolean login(String user, String password) {
        try (HashPool pool = new HashPool(1, 0)) {
            return new Passwords(store(), pool).authenticate(user, password.toCharArray()) == PasswordCheck.VALID;
        }
    }

    @Test
    void domainsUsersAndAliasesEndToEnd() {
        assertThat(run("domain", "add", "example.org")).isZero();
        assertThat(out.toString()).isEqualTo("added example.org\n");
        stdin = "hunter2\n";
        assertThat(run("user", "add", "alice@example.org")).isZero();
        assertThat(out.toString()).isEqualTo("added alice@example.org\n");
        assertThat(login("alice@example.org", "hunter2")).isTrue();

        assertThat(run("alias", "add", "sales@example.org", "alice@example.org", "bob@other.net")).isZero();
        assertThat(run("alias", "add", "@example.org", "alice@example.org")).isZero();
        assertThat(run("alias", "list")).isZero();
        assertThat(out.toString()).isEqualTo(
                "@example.org: alice@example.org\nsales@example.org: alice@example.org, bob@other.net\n");
        assertThat(store().route(new Mailbox("sales", "example.org"))).isEqualTo(
                new Route.Local(Set.of("alice@example.org"), List.of(new Mailbox("bob", "other.net"))));

        assertThat(run("user", "list")).isZero();
        assertThat(out.toString()).isEqualTo("alice@example.org\n");
        assertThat(run("domain", "list")).isZero(); // with "localhost" from the embedded default configuration
        assertThat(out.toString()).isEqualTo("example.org\nlocalhost\n");
    }

    @Test
    void passwdReadsTheNewPasswordAndDelRemoves() {
        run("domain", "add", "example.org");
        stdin = "first\r\n";
        run("user", "add", "bob@example.org");
        stdin = "second\n";
        assertThat(run("user", "passwd", "bob@example.org")).isZero();
        assertThat(out.toString()).isEqualTo("password changed for bob@example.org\n");
        assertThat(login("bob@example.org", "first")).isFalse();
        assertThat(login("bob@example.org", "second")).isTrue();
        assertThat(run("user", "del", "bob@example.org")).isZero();
        assertThat(store().users()).isEmpty();
        assertThat(run("alias", "add", "x@example.org", "y@example.org")).isZero();
        assertThat(run("alias", "del", "x@example.org")).isZero();
        assertThat(run("domain", "del", "example.org")).isZero();
        assertThat(store().domains()).isEmpty();
    }

    @Test
    void refusalsGoToStderrWithExitCodeOne() {
        stdin = "pw\n";
        assertThat(run("user", "add", "alice@example.org")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("postwerk: example.org is not a local domain\n");
        assertThat(out.toString()).isEmpty();
        run("domain", "add", "example.org");
        stdin = "";
        assertThat(run("user", "add", "alice@example.org")).isEqualTo(1);
        assertThat(err.toString()).contains("no password given");
        assertThat(run("user", "del", "ghost@example.org")).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("postwerk: no such user: ghost@example.org\n");
        assertThat(run("alias", "add", "a@example.org")).isEqualTo(2); // picocli: missing TARGET
    }

    @Test
    void domainAddRefusesPathsAndWildcardsAndSaysWhatItStored() {
        for (String bad : List.of("..", "../../etc", "/", "a/b", "*", "*.example.org")) {
            assertThat(run("domain", "add", bad)).as(bad).isEqualTo(1);
            assertThat(err.toString()).as(bad).startsWith("postwerk: \"" + bad + "\"").contains("not");
        }
        assertThat(run("domain", "add", "Bücher.Example")).isZero();
        assertThat(out.toString()).isEqualTo("added xn--bcher-kva.example\n");
        assertThat(run("domain", "list")).isZero();
        assertThat(out.toString()).isEqualTo("localhost\nxn--bcher-kva.example\n");
    }

    @Test
    void listWarnsAboutUnreadableLines() throws Exception {
        Files.createDirectories(data.resolve("accounts"));
        Files.writeString(data.resolve("accounts/domains"), "good.example\nbad domain\n");
        assertThat(run("domain", "list")).isZero();
        assertThat(out.toString()).isEqualTo("good.example\nlocalhost\n");
        assertThat(err.toString()).isEqualTo("warning: domains:2: \"bad domain\" is not a valid domain name: ' ' is "
                + "not allowed (only letters, digits, '-' and '.')\n");
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] cmd : List.of(new String[] {"user"}, new String[] {"user", "add"}, new String[] {"user", "del"},
                new String[] {"user", "list"}, new String[] {"user", "passwd"}, new String[] {"domain"},
                new String[] {"domain", "add"}, new String[] {"domain", "del"}, new String[] {"domain", "list"},
                new String[] {"alias"}, new String[] {"alias", "add"}, new String[] {"alias", "del"},
                new String[] {"alias", "list"})) {
            String[] withHelp = java.util.Arrays.copyOf(cmd, cmd.length + 1);
            withHelp[cmd.length] = "--help";
            out.getBuffer().setLength(0);
            CommandLine line = new CommandLine(new PostwerkCommand());
            line.setOut(new PrintWriter(out, true));
            assertThat(line.execute(withHelp)).as(String.join(" ", cmd)).isZero();
            assertThat(out.toString()).as(String.join(" ", cmd)).startsWith("Usage: postwerk " + String.join(" ", cmd));
        }
        CommandLine bare = new CommandLine(new PostwerkCommand());
        bare.setErr(new PrintWriter(err, true));
        assertThat(bare.execute("user")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Missing subcommand: add, del, list or passwd");
    }
}
