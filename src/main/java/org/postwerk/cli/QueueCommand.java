package org.postwerk.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.io.PosixDisk;
import org.postwerk.queue.Control;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.queue.Spool;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code postwerk queue ...}: look at and steer the queue, like postqueue/postsuper. Reading commands read the
 * spool files directly. Changing commands ask the running server through control files ({@link Control}); when
 * no server runs they take the queue lock and act themselves.
 */
@Command(name = "queue", mixinStandardHelpOptions = true, description = "Show and manage the mail queue.",
        subcommands = {QueueView.ListCommand.class, QueueView.Show.class, QueueView.Summary.class,
            QueueCommand.Flush.class, QueueCommand.Retry.class, QueueCommand.Hold.class, QueueCommand.Release.class,
            QueueCommand.Delete.class, QueueCommand.Bounce.class})
public final class QueueCommand {
    @Option(names = "--config", paramLabel = "FILE", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Configuration file (TOML): its data_dir and hostname. Without it: $POSTWERK_CONFIG, "
                    + "/etc/postwerk/postwerk.toml, ./postwerk.toml, else ./data if a server has used it.")
    Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Data directory (overrides data_dir of the configuration).")
    Path dataDirOption;

    @Option(names = "--hostname", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "Host name for DSNs made by this command when no server runs (default: the configuration's).")
    String hostnameOption;

    /** Found as the server finds it; never a data folder that no server has used ({@link ConfigSearch}). */
    private org.postwerk.config.Config config() {
        return ConfigSearch.of(configFile).forData(dataDirOption);
    }

    Path dataDir() {
        return dataDirOption != null ? dataDirOption : config().dataDir();
    }

    String hostname() {
        return hostnameOption != null ? hostnameOption : config().hostname();
    }

    /** The spool, or null (after saying so) when the data directory has no queue: never create one here. */
    Spool spool() throws IOException {
        if (!java.nio.file.Files.isDirectory(dataDir().resolve("queue"))) {
            System.err.println("no queue in " + dataDir().toAbsolutePath() + " (wrong --data-dir?)");
            return null;
        }
        return new Spool(dataDir().resolve("queue"), new PosixDisk());
    }

    /** Runs a change: through the running server if there is one, else directly on the queue. */
    int change(Control.Op op, String id) throws IOException, InterruptedException {
        Spool spool = spool();
        if (spool == null) {
            return 1;
        }
        QueueSettings settings = new QueueSettings(RetrySchedule.defaults(), hostname(), Optional.empty());
        try (Queue q = new Queue(dataDir().resolve("queue"), settings, Clock.systemUTC(), new PosixDisk())) {
            if (journalLeftOver()) {
                // Records of a crash not yet replayed: changing the queue now could be undone by the replay.
                System.err.println("the journal in " + dataDir().resolve("journal").toAbsolutePath() + " holds "
                        + "records of an earlier run: start the server once (it replays them), then retry");
                return 1;
            }
            boolean ok = switch (op) {
                case FLUSH -> {
                    System.out.println("no server is running: the queue is delivered when it starts");
                    yield true;
                }
                case RETRY -> q.retry(id);
                case HOLD -> q.hold(id);
                case RELEASE -> q.release(id);
                case DELETE -> q.delete(id);
                case BOUNCE -> q.bounce(id);
                case NEW -> q.adopt(id).isPresent();
            };
            return report(ok ? "ok" : "no such message", id);
        } catch (Queue.Busy busy) {
            Optional<String> answer = new Control(spool).ask(op, id, Duration.ofSeconds(15));
            if (answer.isEmpty()) {
                System.err.println("the server did not answer within 15 s; the request stays queued");
                return 1;
            }
            return report(answer.get(), id);
        }
    }

    /** True when journal segments with records are left by a server that did not stop cleanly. */
    private boolean journalLeftOver() throws IOException {
        java.nio.file.Path journal = dataDir().resolve("journal");
        if (!java.nio.file.Files.isDirectory(journal)) {
            return false;
        }
        try (var segments = java.nio.file.Files.list(journal)) {
            return segments.anyMatch(p -> p.getFileName().toString().endsWith(".log") && nonEmpty(p));
        }
    }

    private static boolean nonEmpty(java.nio.file.Path p) {
        try {
            return java.nio.file.Files.size(p) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    private static int report(String answer, String id) {
        if (answer.equals("ok")) {
            System.out.println(id == null ? "ok" : id + ": ok");
            return 0;
        }
        System.err.println((id == null ? "" : id + ": ") + answer);
        return 1;
    }

    /** Shared body of the commands that change one message. */
    abstract static class OneMessage implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Parameters(paramLabel = "ID", description = "Queue id.")
        String id;

        abstract Control.Op op();

        @Override
        public Integer call() throws Exception {
            return parent.change(op(), id);
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true, description = "Try every waiting message now.")
    static final class Flush implements Callable<Integer> {
        @ParentCommand
        QueueCommand parent;

        @Override
        public Integer call() throws Exception {
            return parent.change(Control.Op.FLUSH, null);
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Try one message now.")
    static final class Retry extends OneMessage {
        @Override
        Control.Op op() {
            return Control.Op.RETRY;
        }
    }

    @Command(name = "hold", mixinStandardHelpOptions = true, description = "Keep a message from delivery.")
    static final class Hold extends OneMessage {
        @Override
        Control.Op op() {
            return Control.Op.HOLD;
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Release a held message.")
    static final class Release extends OneMessage {
        @Override
        Control.Op op() {
            return Control.Op.RELEASE;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a message (no bounce).")
    static final class Delete extends OneMessage {
        @Override
        Control.Op op() {
            return Control.Op.DELETE;
        }
    }

    @Command(name = "bounce", mixinStandardHelpOptions = true,
            description = "Fail a message's waiting recipients and return it to the sender.")
    static final class Bounce extends OneMessage {
        @Override
        Control.Op op() {
            return Control.Op.BOUNCE;
        }
    }
}
