package org.postwerk.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;
import org.postwerk.service.DataFolder;

/**
 * Where every command finds the configuration, in this order: {@code --config FILE}, the environment's
 * {@code POSTWERK_CONFIG}, {@code /etc/postwerk/postwerk.toml}, {@code ./postwerk.toml}. Without any, the
 * server runs on the embedded defaults (data in {@code ./data}); the commands that write into a data folder
 * take {@code ./data} only when a server has used it (it bears {@link DataFolder#LOCK}), and otherwise refuse
 * ({@link Unconfigured}): a {@code sendmail} from cron in another folder must not queue mail into a new
 * {@code ./data} that no server will ever read.
 */
record ConfigSearch(Optional<Path> explicit, Map<String, String> env, Path system, Path workingDir) {
    static final String ENV = "POSTWERK_CONFIG";
    static final Path SYSTEM = Path.of("/etc/postwerk/postwerk.toml");

    /** The search of this process. */
    static ConfigSearch of(Path explicit) {
        return new ConfigSearch(Optional.ofNullable(explicit), System.getenv(), SYSTEM, Path.of("").toAbsolutePath());
    }

    /** The configuration file to read, if any: one given is read even when it is missing (and then fails). */
    Optional<Path> file() {
        if (explicit.isPresent()) {
            return explicit;
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(Path.of(fromEnv));
        }
        // The system file counts when it is there or cannot be looked at: an ordinary user cannot see into the
        // package's /etc/postwerk (0750), and must learn that there is a configuration (sendmail then goes
        // through the server; other commands say they cannot read it) rather than be told there is none.
        if (Files.isRegularFile(system) || (!Files.notExists(system) && !Files.isReadable(system))) {
            return Optional.of(system);
        }
        return Optional.of(workingDir.resolve("postwerk.toml")).filter(Files::isRegularFile);
    }

    /** The server's configuration: the file found, or the embedded defaults for the working directory. */
    Config server() {
        return file().map(ConfigLoader::load).orElseGet(() -> Config.defaults(workingDir));
    }

    /** Where it came from, for the start banner and check-config. */
    String source() {
        return file().map(Path::toString).orElse("embedded defaults");
    }

    /**
     * The configuration of a command that writes into the data folder. A folder that a file or
     * {@code --data-dir} names is the operator's choice (accounts may be made before the first start); only
     * the fallback to {@code ./data} needs the mark of a server.
     *
     * @param dataDir the command's {@code --data-dir}, or null
     * @throws Unconfigured when there is no configuration and no data folder to take
     */
    Config forData(Path dataDir) {
        Optional<Path> file = file();
        Config config = file.map(ConfigLoader::load).orElseGet(() -> Config.defaults(workingDir));
        if (file.isEmpty() && dataDir == null && !DataFolder.marked(config.dataDir())) {
            throw new Unconfigured("no configuration found (--config, $" + ENV + ", " + system + ", ./postwerk.toml)"
                    + " and " + config.dataDir() + " is not a Postwerk data folder; nothing was written. Give --config"
                    + " FILE, or --data-dir DIR where the command has it, or start `postwerk serve` here first");
        }
        return config;
    }
}
