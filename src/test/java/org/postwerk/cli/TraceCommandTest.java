package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code postwerk trace}: the configured log file and the one rotated before it, or a clear refusal. */
class TraceCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedOut;
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedOut = System.out;
        savedErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(savedOut);
        System.setErr(savedErr);
    }

    @Test
    void readsTheRotatedFileThenTheCurrentOne() throws Exception {
        Path config = dir.resolve("postwerk.toml");
        Files.writeString(config, "data_dir = \"data\"\n[log]\nfile = \"postwerk.log\"\n");
        Files.writeString(dir.resolve("postwerk.log.1"), """
                t INFO  SmtpSession session=s1 event=connect client=192.0.2.1:5000 listener=SMTP
                t INFO  mail received session=s1 id=Q1 client=192.0.2.1:5000 from=<a@b> to=<c@d> message-id=<m1@b>
                t INFO  mail received session=s2 id=Q2 client=192.0.2.2:5000 from=<a@b> to=<c@d> message-id=<m2@b>
                """);
        Files.writeString(dir.resolve("postwerk.log"), "t WARN  mail deferred id=Q1 to=<c@d> reply=\"451\"\n"
                + "t INFO  mail sent id=Q1 to=<c@d> reply=\"250\"\n");

        int code = new CommandLine(new PostwerkCommand()).execute("trace", "--config", config.toString(), "<m1@b>");

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "t INFO  SmtpSession session=s1 event=connect client=192.0.2.1:5000 listener=SMTP",
                "t INFO  mail received session=s1 id=Q1 client=192.0.2.1:5000 from=<a@b> to=<c@d> message-id=<m1@b>",
                "t WARN  mail deferred id=Q1 to=<c@d> reply=\"451\"",
                "t INFO  mail sent id=Q1 to=<c@d> reply=\"250\"");
    }

    @Test
    void withoutALogFileItSaysWhatItNeeds() throws Exception {
        Path config = dir.resolve("postwerk.toml");
        Files.writeString(config, "data_dir = \"data\"\n");

        int code = new CommandLine(new PostwerkCommand()).execute("trace", "--config", config.toString(), "Q1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no log file: set [log] file");
    }
}
