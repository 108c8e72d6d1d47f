package org.postwerk.cli;

import org.postwerk.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code postwerk} command; every group is a subcommand. */
@Command(name = "postwerk", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Postwerk mail server.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, ReloadCommand.class, UserCommand.class,
            DomainCommand.class, AliasCommand.class, QueueCommand.class, SendmailCommand.class, DkimCommand.class,
            DnsCommand.class, TraceCommand.class, ReportsCommand.class, AcmeCommand.class, AotTrainCommand.class,
            VersionCommand.class})
public final class PostwerkCommand {
    /** EX_CONFIG (sysexits(3)): a configuration file with problems. */
    static final int EX_CONFIG = 78;

    /** True when the command starts a server that must outlive main(). */
    public static boolean keepsRunning(String[] args) {
        return args.length > 0 && args[0].equals("serve");
    }

    /**
     * The command line with the operator's errors shown as such, without a stack trace: a configuration
     * with problems (each printed, exit 78), no configuration at all where one is needed (exit 75).
     */
    public static CommandLine commandLine(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            switch (e) {
                case ConfigException c -> {
                    commandLine.getErr().println(c.getMessage());
                    return EX_CONFIG;
                }
                case Unconfigured u -> {
                    commandLine.getErr().println("postwerk: " + u.getMessage());
                    return Unconfigured.EXIT;
                }
                default -> throw e;
            }
        });
        return cli;
    }
}
