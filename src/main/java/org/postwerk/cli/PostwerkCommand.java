package org.postwerk.cli;

import picocli.CommandLine.Command;

/** The top-level {@code postwerk} command; every group is a subcommand. */
@Command(name = "postwerk", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Postwerk mail server.",
        subcommands = {ServeCommand.class, CheckConfigCommand.class, UserCommand.class, DomainCommand.class,
            AliasCommand.class, QueueCommand.class, SendmailCommand.class, DkimCommand.class, DnsCommand.class,
            TraceCommand.class,
            VersionCommand.class})
public final class PostwerkCommand {
    /** True when the command starts a server that must outlive main(). */
    public static boolean keepsRunning(String[] args) {
        return args.length > 0 && args[0].equals("serve");
    }
}
