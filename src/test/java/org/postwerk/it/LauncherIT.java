package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script as an operator uses it: through a symlink named {@code sendmail} or {@code mailq} in another
 * folder (issue 12: it looked for {@code scripts/find-jdk} next to the link), and from a folder without a
 * configuration or data folder, where sendmail must write nothing and exit 75 so that cron retries.
 */
class LauncherIT {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {}

    private Result run(String stdin, Path command, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(command.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("POSTWERK_CONFIG");
        Path err = Files.createTempFile("launcher", ".err");
        Process p = pb.redirectError(err.toFile()).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out");
        }
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(p.exitValue(), out, errText);
    }

    private Path link(String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        return Files.createSymbolicLink(bin.resolve(name), Path.of("postwerk").toAbsolutePath());
    }

    @Test
    void sendmailThroughASymlinkShowsItsHelp() throws Exception {
        Result r = run("", link("sendmail"), "--help");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Usage: postwerk sendmail");
    }

    @Test
    void sendmailWithoutConfigurationWritesNothingAndAsksForARetry() throws Exception {
        Result r = run("Subject: lost?\n\nhello\n", link("sendmail"), "-f", "cron@example.org", "root@example.org");
        assertThat(r.code()).isEqualTo(75);
        assertThat(r.err()).contains("postwerk: no configuration found", "nothing was written");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bin");
        }
        Result q = run("", link("mailq"));
        assertThat(q.code()).isEqualTo(75);
        Result u = run("secret-password\n", Path.of("postwerk").toAbsolutePath(), "user", "add", "a@localhost");
        assertThat(u.code()).isEqualTo(75);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("bin");
        }
    }
}
