package org.postwerk.cli;

import java.nio.file.Path;
import java.util.Optional;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option, shared by every command that needs the configuration
 * ({@code @Mixin ConfigOptions config;} then {@code config.load()}).
 */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Configuration file (TOML). Without it: the embedded defaults, data in ./data.")
    private Path file;

    /** The file given, if any. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The configuration from the file, or the embedded defaults for the current directory.
     *
     * @throws org.postwerk.config.ConfigException listing every problem in the file
     */
    public Config load() {
        return file == null ? Config.defaults(Path.of("").toAbsolutePath()) : ConfigLoader.load(file);
    }
}
