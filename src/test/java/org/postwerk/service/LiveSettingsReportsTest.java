package org.postwerk.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;

/** {@code [reports]} is read at start: a reload keeps the running one and says a restart is needed. */
class LiveSettingsReportsTest {
    @TempDir
    Path dir;

    @Test
    void reportsChangesNeedARestart() {
        Config running = ConfigLoader.parse("", dir, "a.toml");
        Config next = ConfigLoader.parse("[reports]\ntls_rpt = false\n", dir, "b.toml");
        assertThat(LiveSettings.effective(running, next).reports()).isEqualTo(running.reports());
        assertThat(LiveSettings.needRestart(running, next)).contains("[reports]");
        assertThat(LiveSettings.needRestart(running, running)).doesNotContain("[reports]");
    }
}
