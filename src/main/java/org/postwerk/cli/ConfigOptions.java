package org.postwerk.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.postwerk.config.Config;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option, shared by every command that needs the configuration
 * ({@code @Mixin ConfigOptions config;} then {@code config.load()}); without it the file is searched for
 * ({@link ConfigSearch}).
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (TOML). Without it: $POSTWERK_CONFIG, /etc/postwerk/postwerk.toml, "
                    + "./postwerk.toml, else the embedded defaults (data in ./data).")
    private Path file;

    /** The file given, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    ConfigSearch search() {
        return ConfigSearch.of(file);
    }

    /**
     * The configuration the server would run with: the file found, or the embedded defaults.
     *
     * @throws org.postwerk.config.ConfigException listing every problem in the file
     */
    public Config load() {
        return search().server();
    }

    /**
     * The configuration of a command that writes into the data folder ({@link ConfigSearch#forData}).
     *
     * @throws Unconfigured when there is none (exit 75)
     */
    Config forData(Path dataDir) {
        return search().forData(dataDir);
    }
}
