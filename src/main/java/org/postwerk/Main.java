package org.postwerk;

import org.postwerk.cli.PostwerkCommand;
import picocli.CommandLine;

/** Entry point: hands the command line to picocli, nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // A bad or missing configuration is the operator's to fix: show the problems, not a stack trace.
        CommandLine cli = PostwerkCommand.commandLine(new CommandLine(new PostwerkCommand()));
        int code = cli.execute(args);
        org.postwerk.log.BatchedStderrAppender.flushAll();
        if (code != 0 || !PostwerkCommand.keepsRunning(args)) {
            System.exit(code);
        }
    }
}
