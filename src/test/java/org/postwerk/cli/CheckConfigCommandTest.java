package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code postwerk check-config}: exit status, summary on stdout, every problem on stderr. */
class CheckConfigCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new PostwerkCommand())
                .setOut(new PrintWriter(out))
                .setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void validFilePrintsSummaryAndExitsZero() throws IOException {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, """
                hostname = "mx.example.com"
                local_domains = ["example.com", "example.org"]
                [[listener]]
                role = "smtp"
                address = "::"
                [[listener]]
                role = "submissions"
                address = "127.0.0.2"
                proxy_protocol = true
                """);
        assertThat(run("check-config", "--config", file.toString())).isZero();
        assertThat(out.toString())
                .contains(file + ": OK")
                .contains("hostname:       mx.example.com")
                .contains("data dir:       " + dir.toAbsolutePath().resolve("data"))
                .contains("local domains:  example.com, example.org")
                .contains("listener:       smtp        [::]:25")
                .contains("listener:       submissions 127.0.0.2:465 (PROXY protocol)");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidFilePrintsEveryProblemAndExitsOne() throws IOException {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "hostname = \"bad_name\"\n[limits]\nrecipents = 5\ntext_line = 80\n");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString().lines()).containsExactly(
                file + ":1: hostname: \"bad_name\" is not a valid domain name: '_' is not allowed (only letters, digits, '-'"
                        + " and '.')",
                file + ":3: limits.recipents: unknown key; did you mean \"recipients\"?",
                file + ":4: limits.text_line: must be between 1000 and 1048576, got 80",
                "3 problems: the configuration is not valid.");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void missingFileIsAProblemNotACrash() {
        Path file = dir.resolve("absent.toml");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith(file + ": no such file");
    }

    @Test
    void withoutConfigChecksTheEmbeddedDefaults() {
        assertThat(run("check-config")).isZero();
        assertThat(out.toString()).startsWith("embedded defaults: OK")
                .contains("listener:       submission  127.0.0.1:2587")
                .contains("self-signed");
    }

    @Test
    void helpNamesTheOption() {
        assertThat(run("check-config", "--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE").contains("Check the configuration file");
    }

    @Test
    void listenerOnAnAddressThisHostLacks() throws IOException {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, "[[listener]]\nrole = \"smtp\"\naddress = \"192.0.2.1\"\n");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("smtp listener 192.0.2.1:25: this host has no such address");
    }
}
