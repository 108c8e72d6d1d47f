package org.postwerk;

import org.postwerk.cli.PostwerkCommand;
import org.postwerk.config.ConfigException;
import picocli.CommandLine;

/** Entry point: hands the command line to picocli, nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new PostwerkCommand());
        // A bad configuration is the operator's to fix: show the problems, not a stack trace.
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println(e.getMessage());
                return 1;
            }
            throw e;
        });
        int code = cli.execute(args);
        org.postwerk.log.BatchedStderrAppender.flushAll();
        if (code != 0 || !PostwerkCommand.keepsRunning(args)) {
            System.exit(code);
        }
    }
}
