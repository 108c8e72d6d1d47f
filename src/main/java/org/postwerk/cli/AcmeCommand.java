package org.postwerk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.postwerk.acme.AcmeFiles;
import org.postwerk.config.Config;
import org.postwerk.service.DataFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postwerk acme renew}: asks the running server to order a new ACME certificate now. */
@Command(name = "acme", mixinStandardHelpOptions = true, description = "ACME certificates ([acme]).",
        subcommands = AcmeCommand.Renew.class)
public final class AcmeCommand {
    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = {"Make the running server order a new certificate now, whatever its expiry.",
                    "The server picks the request up within seconds and logs event=acme-issued or acme-failed.",
                    "Exit status 0 when asked, 78 when [acme] is off, 75 when no server runs."})
    static final class Renew implements Callable<Integer> {
        @Mixin
        ConfigOptions configOptions;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of the server (overrides data_dir).")
        Path dataDir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Config config = configOptions.forData(null);
            if (!config.acme().enabled()) {
                spec.commandLine().getErr().println("postwerk: [acme] enabled is false in the configuration");
                return PostwerkCommand.EX_CONFIG;
            }
            Path data = dataDir != null ? dataDir : config.dataDir();
            if (!DataFolder.serverRuns(data)) {
                spec.commandLine().getErr().println("postwerk: no server runs on " + data.toAbsolutePath());
                return Unconfigured.EXIT;
            }
            AcmeFiles.in(data).requestRenewal();
            spec.commandLine().getOut().println("renewal requested; see the log for event=acme-issued");
            return 0;
        }
    }
}
