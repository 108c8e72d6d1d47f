package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration is found as the server finds it, and a data folder is never invented. */
class ConfigSearchTest {
    @TempDir
    Path dir;

    private ConfigSearch search(Path explicit, Map<String, String> env) {
        return new ConfigSearch(Optional.ofNullable(explicit), env, dir.resolve("etc/postwerk.toml"), dir.resolve("cwd"));
    }

    private Path file(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    @Test
    void flagThenEnvironmentThenEtcThenWorkingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("cwd"));
        assertThat(search(null, Map.of()).file()).isEmpty();
        Path local = file("cwd/postwerk.toml", "");
        assertThat(search(null, Map.of()).file()).contains(local);
        Path etc = file("etc/postwerk.toml", "");
        assertThat(search(null, Map.of()).file()).contains(etc);
        Path env = file("env.toml", "");
        assertThat(search(null, Map.of("POSTWERK_CONFIG", env.toString())).file()).contains(env);
        Path flag = dir.resolve("flag.toml");
        assertThat(search(flag, Map.of("POSTWERK_CONFIG", env.toString())).file()).contains(flag);
    }

    @Test
    void withoutConfigurationTheServerRunsOnDefaultsInTheWorkingDirectory() {
        assertThat(search(null, Map.of()).server().dataDir()).isEqualTo(dir.resolve("cwd/data"));
        assertThat(search(null, Map.of()).source()).isEqualTo("embedded defaults");
    }

    @Test
    void commandsRefuseADataFolderNoServerHasUsed() throws Exception {
        Files.createDirectories(dir.resolve("cwd/data"));
        assertThatThrownBy(() -> search(null, Map.of()).forData(null)).isInstanceOf(Unconfigured.class)
                .hasMessageContaining("no configuration found").hasMessageContaining("nothing was written");
        Files.writeString(dir.resolve("cwd/data/postwerk.lock"), "");
        assertThat(search(null, Map.of()).forData(null).dataDir()).isEqualTo(dir.resolve("cwd/data"));
    }

    @Test
    void aFolderNamedByAFileOrDataDirIsTakenAsItIs() throws Exception {
        file("etc/postwerk.toml", "data_dir = \"../srv/data\"\n");
        assertThat(search(null, Map.of()).forData(null).dataDir()).isEqualTo(dir.resolve("srv/data"));
        Files.delete(dir.resolve("etc/postwerk.toml"));
        assertThat(search(null, Map.of()).forData(dir.resolve("new"))).isNotNull();
    }
}
