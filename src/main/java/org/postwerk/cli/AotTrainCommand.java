package org.postwerk.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.config.LogConfig;
import org.postwerk.log.BatchedStderrAppender;
import org.postwerk.log.LogSetup;
import org.postwerk.training.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code postwerk aot-train}: the training run of JDK 25's ahead-of-time cache. The launchers run it, under
 * {@code -XX:AOTCacheOutput}, when no cache fits the jar and the JDK (scripts/jvm-options); by hand it only
 * exercises a throw-away server and exits. Its log goes to a file of its own, shown only when it fails.
 */
@Command(name = "aot-train", mixinStandardHelpOptions = true,
        description = {"Run a throw-away server on free loopback ports and send it mail over SMTP and submission,"
                + " read it over IMAP and POP3, then exit: the training run of the JVM's ahead-of-time cache"
                + " (the launchers run it when they need a cache). Touches no configuration or data folder."})
public final class AotTrainCommand implements Callable<Integer> {
    @Option(names = "--messages", defaultValue = "2000", paramLabel = "N",
            description = "Inbound messages (default ${DEFAULT-VALUE}); a quarter as many are submitted and relayed.")
    int messages;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (messages < 20 || messages > 1_000_000) {
            spec.commandLine().getErr().println("postwerk: --messages must be 20 to 1000000");
            return 64; // EX_USAGE
        }
        Path log = Files.createTempFile("postwerk-aot-train-", ".log");
        try {
            LogSetup.apply(LogSetup.resolve(new LogConfig(Optional.of(log), LogConfig.Format.TEXT, "INFO"),
                    Map.of()));
            TrainingRun.Outcome o = TrainingRun.run(log.getParent(), TrainingRun.Load.scaled(messages));
            spec.commandLine().getOut().printf("postwerk aot-train: %d inbound, %d submitted (%d relayed), %d IMAP"
                    + " and %d POP3 sessions in %.1f s%n", o.inbound(), o.submitted(), o.relayed(), o.imapSessions(),
                    o.popSessions(), o.took().toMillis() / 1000.0);
            return 0;
        } catch (java.io.IOException | RuntimeException e) { // a failed step, or a server that did not start
            BatchedStderrAppender.flushAll();
            List<String> lines = Files.readAllLines(log);
            var err = spec.commandLine().getErr();
            lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(err::println);
            err.println("postwerk aot-train: failed: " + (e.getMessage() != null ? e.getMessage() : e));
            return 1;
        } finally {
            BatchedStderrAppender.flushAll();
            Files.deleteIfExists(log);
        }
    }
}
