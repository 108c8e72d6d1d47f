package org.postwerk.cli;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.postwerk.account.AccountStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code postwerk user add|del|list|passwd}: mail accounts. Safe to run while the server runs. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage mail accounts.",
        subcommands = {UserCommand.Add.class, UserCommand.Del.class, UserCommand.List.class, UserCommand.Passwd.class})
public final class UserCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand: add, del, list or passwd");
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Add an account in a local domain.",
                "The local part is a plain dot-string (letters, digits, ! $ % & ' * + - = ? ^ _ ` { | } ~ and single "
                    + "inner dots; no / or #).",
                "The password is read from standard input when it is not a terminal, else asked for twice."})
    static final class Add implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(paramLabel = "ADDRESS", description = "user@domain")
        String address;

        private final PasswordInput passwords;

        Add() {
            this(PasswordInput.system());
        }

        Add(PasswordInput passwords) {
            this.passwords = passwords;
        }

        @Override
        public Integer call() throws IOException {
            return withPassword(accounts, passwords,
                    pw -> accounts.report(accounts.editor().addUser(address, pw), "added " + address));
        }
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true,
            description = {"Set an account's password.",
                "The password is read from standard input when it is not a terminal, else asked for twice."})
    static final class Passwd implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(paramLabel = "ADDRESS", description = "user@domain")
        String address;

        private final PasswordInput passwords;

        Passwd() {
            this(PasswordInput.system());
        }

        Passwd(PasswordInput passwords) {
            this.passwords = passwords;
        }

        @Override
        public Integer call() throws IOException {
            return withPassword(accounts, passwords, pw -> accounts.report(
                    accounts.editor().setPassword(address, pw), "password changed for " + address));
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true, description = "Delete an account (its mail stays on disk).")
    static final class Del implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Parameters(paramLabel = "ADDRESS", description = "user@domain")
        String address;

        @Override
        public Integer call() throws IOException {
            return accounts.report(accounts.editor().removeUser(address), "deleted " + address);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts, one per line.")
    static final class List implements Callable<Integer> {
        @Mixin
        AccountsOption accounts;

        @Override
        public Integer call() {
            return accounts.list(AccountStore::users);
        }
    }

    /** Something that uses a password and then lets it be wiped. */
    private interface WithPassword {
        int apply(char[] password) throws IOException;
    }

    private static int withPassword(AccountsOption accounts, PasswordInput input, WithPassword action)
            throws IOException {
        Optional<char[]> password = input.read();
        if (password.isEmpty()) {
            accounts.spec.commandLine().getErr().println("postwerk: no password given, or the two entries differ");
            return 1;
        }
        try {
            return action.apply(password.get());
        } finally {
            Arrays.fill(password.get(), '\0');
        }
    }
}
