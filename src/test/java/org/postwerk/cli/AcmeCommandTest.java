package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.acme.AcmeFiles;
import org.postwerk.service.DataFolder;
import picocli.CommandLine;

/** {@code postwerk acme renew}: a request the running server picks up; refused when ACME is off or nobody runs. */
class AcmeCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new PostwerkCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    private Path config(boolean acme) throws Exception {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, "hostname = \"mx.example.com\"\ndata_dir = \"data\"\n[acme]\nenabled = " + acme + "\n");
        Files.createDirectories(dir.resolve("data"));
        return file;
    }

    @Test
    void asksTheRunningServer() throws Exception {
        Path file = config(true);
        try (DataFolder running = DataFolder.lock(dir.resolve("data"))) {
            assertThat(run("acme", "renew", "--config", file.toString())).isZero();
        }
        assertThat(AcmeFiles.in(dir.resolve("data")).renewRequest()).exists();
        assertThat(out.toString()).contains("renewal requested");
    }

    @Test
    void refusedWhenAcmeIsOffOrNoServerRuns() throws Exception {
        assertThat(run("acme", "renew", "--config", config(false).toString())).isEqualTo(PostwerkCommand.EX_CONFIG);
        assertThat(err.toString()).contains("[acme] enabled is false");
        assertThat(run("acme", "renew", "--config", config(true).toString())).isEqualTo(Unconfigured.EXIT);
        assertThat(err.toString()).contains("no server runs");
        assertThat(AcmeFiles.in(dir.resolve("data")).renewRequest()).doesNotExist();
    }
}
