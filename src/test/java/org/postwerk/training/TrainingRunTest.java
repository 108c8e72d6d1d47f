package org.postwerk.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training run of the ahead-of-time cache goes through every path it is meant to teach the JVM and leaves
 * nothing behind: each of its clients checks the server's answers, so a path that stopped working fails here
 * (and the launchers would then start without a cache).
 */
class TrainingRunTest {
    @TempDir
    Path parent;

    @Test
    void mailGoesInOutAndIsReadThenTheFolderIsGone() throws Exception {
        TrainingRun.Outcome o = TrainingRun.run(parent, new TrainingRun.Load(60, 12, 5, 2, 4));

        assertThat(o.inbound()).isEqualTo(60);
        assertThat(o.relayed()).as("every submitted message reached the sink through the queue").isEqualTo(12);
        assertThat(o.imapSessions()).isEqualTo(5);
        try (var left = Files.list(parent)) {
            assertThat(left).as("the throw-away server's folder is removed").isEmpty();
        }
    }

    @Test
    void theLoadScalesFromTheInboundCount() {
        assertThat(TrainingRun.Load.scaled(2000)).isEqualTo(new TrainingRun.Load(2000, 500, 20, 4, 8));
        assertThat(TrainingRun.Load.scaled(20)).isEqualTo(new TrainingRun.Load(20, 10, 4, 2, 8));
    }
}
