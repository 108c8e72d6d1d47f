package org.postwerk.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.function.Function;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountStore;
import org.postwerk.account.Change;
import org.postwerk.Postwerk;
import org.postwerk.config.Config;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code --config} and {@code --data-dir} options shared by the account commands (the same account store
 * and local domains as the server sees), and how they report a change.
 */
final class AccountsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (overrides data_dir of the configuration); accounts live in DIR/accounts.")
    Path dataDir;

    AccountStore store() {
        Config c = config.forData(dataDir);
        return Postwerk.accounts(c, dataDir == null ? c.dataDir() : dataDir);
    }

    AccountEditor editor() {
        return new AccountEditor(store());
    }

    /** Prints the outcome: the message on success, the reason on stderr otherwise; returns the exit code. */
    int report(Change change, String done) {
        return switch (change) {
            case Change.Applied a -> {
                spec.commandLine().getOut().println(done);
                yield 0;
            }
            case Change.Refused r -> {
                spec.commandLine().getErr().println("postwerk: " + r.reason());
                yield 1;
            }
        };
    }

    /**
     * Prints one line per entry, after warning on stderr about lines of the account files that could not be
     * read, so that a typo in a hand-edited file does not go unnoticed.
     */
    int list(Function<AccountStore, Collection<String>> lines) {
        AccountStore store = store();
        store.problems().forEach(p -> spec.commandLine().getErr().println("warning: " + p));
        lines.apply(store).forEach(spec.commandLine().getOut()::println);
        return 0;
    }
}
