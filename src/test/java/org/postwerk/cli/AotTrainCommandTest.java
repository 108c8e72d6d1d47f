package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code postwerk aot-train}: the bounds of {@code --messages} (a run itself, which redirects the process's log, is
 * JvmOptionsIT's, in a process of its own).
 */
class AotTrainCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new AotTrainCommand()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true)).execute(args);
    }

    @Test
    void messagesOutsideTheirBoundsAreAUsageError() {
        assertThat(run("--messages", "19")).isEqualTo(64);
        assertThat(run("--messages", "1000001")).isEqualTo(64);
        assertThat(err.toString()).contains("--messages must be 20 to 1000000");
        assertThat(out.toString()).isEmpty();
    }
}
