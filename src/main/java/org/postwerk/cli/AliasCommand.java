package org.postwerk.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.postwerk.account.AccountStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postwerk alias add|del|list}: addresses that forward to accounts or elsewhere. */
@Command(name = "alias", mixinStandardHelpOptions = true, description = "Manage aliases and catch-alls.",
        subcommands = {AliasCommand.Add.class, AliasCommand.Del.class, AliasCommand.List.class})
public final class AliasCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, del or list");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add targets to an alias (created if new).",
                "ADDRESS @domain is a catch-all for the domain. Targets may be local or remote."})
    static final class Add implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(index = "0", paramLabel = "ADDRESS", description = "alias@domain or @domain")
        String address;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET", description = "address to deliver to")
        java.util.List<String> targets = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            return accounts.report(accounts.editor().addAlias(address, targets),
                    "added " + address + " -> " + String.join(", ", targets));
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
            description = "Remove the given targets from an alias, or the whole alias when none is given.")
    static final class Del implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(index = "0", paramLabel = "ADDRESS")
        String address;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "TARGET")
        java.util.List<String> targets = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            return accounts.report(accounts.editor().removeAlias(address, targets), "deleted "
                    + (targets.isEmpty() ? address : address + " -> " + String.join(", ", targets)));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List aliases as 'address: target, target', one per line.")
    static final class List implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Override
        public Integer call() {
            return accounts.list(s -> s.aliases().entrySet().stream()
                    .map(e -> e.getKey() + ": " + String.join(", ", e.getValue())).toList());
        }
    }
}
