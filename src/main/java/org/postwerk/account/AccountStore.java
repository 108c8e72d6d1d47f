package org.postwerk.account;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.postwerk.smtp.Mailbox;

/**
 * Accounts, local domains and aliases kept in human-readable files under {@code DATA/accounts/}. The server
 * reads through it on every lookup and sees changes made meanwhile by the CLI in another process; the CLI
 * changes it through {@link AccountEditor}; {@link Passwords} checks logins against it. Thread-safe.
 */
public final class AccountStore implements Directory {
    private final AccountFiles files;
    private final AccountSettings settings;

    /**
     * @param accountsDir the directory of the account files, normally {@code DATA/accounts}; created on the
     *     first change, a missing one reads as empty
     */
    public AccountStore(Path accountsDir, AccountSettings settings) {
        this.files = new AccountFiles(accountsDir);
        this.settings = settings;
    }

    /** Reads the files as they are now; an I/O failure is a bug or a broken disk, not a routing answer. */
    Snapshot snapshot() {
        try {
            return files.current();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + files.dir(), e);
        }
    }

    AccountFiles files() {
        return files;
    }

    AccountSettings settings() {
        return settings;
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return new Routing(snapshot(), settings).isLocalDomain(domain);
    }

    @Override
    public Route route(Mailbox recipient) {
        return new Routing(snapshot(), settings).route(recipient);
    }

    /** User addresses, sorted. */
    /**
     * The account a login name stands for (the name in canonical form: lower case, the domain as its A-label), or
     * empty when there is no such account. Logins use the account address itself, not an alias.
     */
    public java.util.Optional<String> account(String login) {
        String key = Addresses.key(login);
        return snapshot().users().containsKey(key) ? java.util.Optional.of(key) : java.util.Optional.empty();
    }

    public List<String> users() {
        return List.copyOf(snapshot().users().keySet());
    }

    /**
     * Every address that may have a mailbox: the users, and {@code postmaster@} and {@code abuse@} of each local
     * domain (without a configured postmaster they get a mailbox of their own, see {@link Routing}).
     */
    public List<String> mailboxes() {
        SortedSet<String> all = new TreeSet<>(snapshot().users().keySet());
        for (String domain : domains()) {
            all.add("postmaster@" + domain);
            all.add("abuse@" + domain);
        }
        return List.copyOf(all);
    }

    /** Local domains: configured ones and added ones, sorted. */
    public SortedSet<String> domains() {
        SortedSet<String> all = new TreeSet<>(settings.domains());
        all.addAll(snapshot().domains());
        return all;
    }

    /** Aliases and catch-alls ({@code @domain}) with their targets as written, sorted by address. */
    public SortedMap<String, List<String>> aliases() {
        return snapshot().aliases();
    }

    /** Lines of the files that could not be read (file:line: problem); empty when all is well. */
    public List<String> problems() {
        return snapshot().problems();
    }
}
