package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [imap]}: every limit of the IMAP server is a setting, within bounds the RFCs allow. */
class ImapSectionTest {
    @TempDir
    Path dir;

    private ImapConfig parse(String toml) {
        return ConfigLoader.parse(toml, dir, "t.toml").imap();
    }

    @Test
    void everyKeyIsRead() {
        assertThat(parse("""
                [imap]
                idle_timeout = "45m"
                login_timeout = "20s"
                append_limit = "10MiB"
                command_size = "1MiB"
                connections_per_user = 5
                quota = "1GiB"
                """)).isEqualTo(new ImapConfig(Duration.ofMinutes(45), Duration.ofSeconds(20), 10L << 20, 1 << 20, 5,
                1L << 30));
    }

    /** RFC 9051 §5.4: an autologout timer after login must be at least 30 minutes (and IDLE must outlive 29). */
    @Test
    void theIdleTimeoutIsAtLeastThirtyMinutes() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> parse("[imap]\nidle_timeout = \"29m\"\nlogin_timeout = \"0s\"\nconnections_per_user = 0\n"));
        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("imap.idle_timeout", "imap.login_timeout", "imap.connections_per_user");
        assertThat(parse("[imap]\nidle_timeout = \"30m\"\n").idle()).isEqualTo(Duration.ofMinutes(30));
    }
}
