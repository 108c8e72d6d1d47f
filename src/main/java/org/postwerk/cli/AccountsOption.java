package org.postwerk.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.function.Function;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.Change;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code --data-dir} option shared by the account commands, and how they report a change. */
final class AccountsOption {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data",
            description = "Data directory; accounts live in DIR/accounts (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    AccountStore store() {
        // Until the config file is read here, only domains added with 'domain add' are local.
        return new AccountStore(dataDir.resolve("accounts"), AccountSettings.of(Set.of()));
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
