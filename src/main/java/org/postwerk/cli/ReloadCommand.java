package org.postwerk.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.service.DataFolder;
import org.postwerk.service.ReloadRequests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code postwerk reload}: asks the running server to read its configuration again, and says what it did. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Make the running server reload its configuration and certificate (like SIGHUP).",
                "Exit status 0 when the new configuration is in force, 1 when the server refused it (the old one "
                        + "stays; the problems are printed) or did not answer, 75 when no server runs."})
public final class ReloadCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory of the server (overrides data_dir).")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path data = dataDir != null ? dataDir : configOptions.forData(null).dataDir();
        if (!DataFolder.serverRuns(data)) {
            spec.commandLine().getErr().println("postwerk: no server runs on " + data.toAbsolutePath());
            return Unconfigured.EXIT;
        }
        Optional<String> answer = new ReloadRequests(data).ask(Duration.ofSeconds(30));
        if (answer.isEmpty()) {
            spec.commandLine().getErr().println("postwerk: the server did not answer within 30 s");
            return 1;
        }
        boolean ok = answer.get().startsWith("ok");
        (ok ? spec.commandLine().getOut() : spec.commandLine().getErr()).println(answer.get());
        return ok ? 0 : 1;
    }
}
