package org.postwerk.cli;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.postwerk.account.AccountStore;
import org.postwerk.config.DomainSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postwerk domain add|del|list}: the domains we receive mail for, besides those in the config. */
@Command(name = "domain", mixinStandardHelpOptions = true, description = "Manage local domains.",
        subcommands = {DomainCommand.Add.class, DomainCommand.Del.class, DomainCommand.List.class})
public final class DomainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, del or list");
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = {"Receive mail for a domain.",
        "A Unicode name (U-label) is kept in its A-label form (xn--...), the one spelling used everywhere."})
    static final class Add implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() throws IOException {
            return accounts.report(accounts.editor().addDomain(domain), "added " + DomainSyntax.canonical(domain));
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
            description = "Stop receiving mail for a domain; refused while it has users or aliases.")
    static final class Del implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public Integer call() throws IOException {
            return accounts.report(accounts.editor().removeDomain(domain), "deleted " + domain);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List local domains, one per line.")
    static final class List implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Override
        public Integer call() {
            return accounts.list(AccountStore::domains);
        }
    }
}
