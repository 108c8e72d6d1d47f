package org.postwerk;

import org.postwerk.cli.AotTrainCommand;
import org.postwerk.cli.PostwerkCommand;
import org.postwerk.cli.ServeCommand;
import picocli.CommandLine;

/** Entry point: hands the command line to picocli, nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // A bad or missing configuration is the operator's to fix: show the problems, not a stack trace.
        // `serve` is built alone: picocli reflects over every command it is given, and the other twenty cost
        // about a quarter of the time from start to listening (issue 12, docs/performance.md). So is
        // `aot-train`, whose run decides what goes into the ahead-of-time cache that every start then loads.
        String first = args.length > 0 ? args[0] : "";
        Object alone = switch (first) {
            case "serve" -> new ServeCommand();
            case "aot-train" -> new AotTrainCommand();
            default -> null;
        };
        CommandLine cli = PostwerkCommand.commandLine(alone != null
                ? new CommandLine(alone).setCommandName("postwerk " + first)
                : new CommandLine(new PostwerkCommand()));
        int code = cli.execute(alone != null ? java.util.Arrays.copyOfRange(args, 1, args.length) : args);
        org.postwerk.log.BatchedStderrAppender.flushAll();
        if (code != 0 || !PostwerkCommand.keepsRunning(args)) {
            System.exit(code);
        }
    }
}
