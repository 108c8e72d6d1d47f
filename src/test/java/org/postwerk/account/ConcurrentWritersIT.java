package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes change the account files at once, as the CLI does beside a running server: the lock
 * file must make every change survive (no lost update), and a reader must never see a broken file.
 */
class ConcurrentWritersIT {
    private static final int PROCESSES = 3;
    private static final int ALIASES_EACH = 15;

    @TempDir
    Path dir;

    /** One writer process: adds its aliases one change at a time. */
    public static void main(String[] args) throws IOException {
        AccountStore store = new AccountStore(Path.of(args[0]), AccountSettings.of(Set.of("example.org")));
        AccountEditor editor = new AccountEditor(store);
        for (int i = 0; i < Integer.parseInt(args[2]); i++) {
            Change c = editor.addAlias(args[1] + i + "@example.org", List.of("target@example.net"));
            if (!(c instanceof Change.Applied)) {
                throw new IllegalStateException(c.toString());
            }
        }
    }

    @Test
    void noChangeIsLostAndReadersSeeWholeFiles() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> writers = new ArrayList<>();
        for (int p = 0; p < PROCESSES; p++) {
            writers.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ConcurrentWritersIT.class.getName(), dir.toString(), "w" + p + "-", String.valueOf(ALIASES_EACH))
                    .inheritIO().start());
        }
        AccountStore reader = new AccountStore(dir, AccountSettings.of(Set.of("example.org")));
        while (writers.stream().anyMatch(Process::isAlive)) {
            assertThat(reader.problems()).isEmpty();
            Thread.sleep(2);
        }
        for (Process w : writers) {
            assertThat(w.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(w.exitValue()).isZero();
        }
        assertThat(reader.aliases()).hasSize(PROCESSES * ALIASES_EACH);
        assertThat(reader.problems()).isEmpty();
    }
}
