package org.postwerk;

import org.postwerk.cli.PostwerkCommand;
import picocli.CommandLine;

/** Entry point: hands the command line to picocli, nothing else. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = new CommandLine(new PostwerkCommand()).execute(args);
        if (code != 0 || !PostwerkCommand.keepsRunning(args)) {
            System.exit(code);
        }
    }
}
