package org.postwerk.account;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.postwerk.account.AccountFiles.Decision;
import org.postwerk.config.DomainSyntax;
import org.postwerk.sasl.ScramCredentials;

/**
 * Changes accounts, domains and aliases (the CLI's side). Each change re-reads the files under the writers'
 * lock, checks, and replaces the files atomically, so concurrent changes from several processes never lose
 * one another. Password hashing runs before the lock is taken.
 */
public final class AccountEditor {
    private static final int SCRAM_SALT_BYTES = 16;

    private final AccountFiles files;
    private final AccountSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final Argon2id argon2;

    public AccountEditor(AccountStore store) {
        this.files = store.files();
        this.settings = store.settings();
        this.argon2 = new Argon2id(random);
    }

    /** Refuses a local part that is not a plain Dot-string ({@link Addresses#accountLocalProblem}). */
    public Change addUser(String address, char[] password) throws IOException {
        Optional<String> problem = Addresses.parse(address)
                .flatMap(m -> Addresses.accountLocalProblem(m.local()));
        if (problem.isPresent()) {
            return new Change.Refused(address + ": " + problem.get());
        }
        return withPassword(address, password, (s, user) -> {
            if (s.users().containsKey(user.address())) {
                return new Decision.Refuse(user.address() + " already exists");
            }
            if (!routing(s).isLocalDomain(Addresses.domainOf(user.address()))) {
                return new Decision.Refuse(Addresses.domainOf(user.address()) + " is not a local domain");
            }
            return put(s, user);
        });
    }

    public Change setPassword(String address, char[] password) throws IOException {
        return withPassword(address, password, (s, user) -> s.users().containsKey(user.address())
                ? put(s, user) : new Decision.Refuse("no such user: " + user.address()));
    }

    public Change removeUser(String address) throws IOException {
        String key = Addresses.key(address);
        return edit(s -> {
            if (!s.users().containsKey(key)) {
                return new Decision.Refuse("no such user: " + key);
            }
            Map<String, Snapshot.User> users = new TreeMap<>(s.users());
            users.remove(key);
            return new Decision.Write(s.withUsers(users));
        });
    }

    /** Refuses what is not a valid (IDNA) domain name; keeps it as its lower-case A-label. */
    public Change addDomain(String domain) throws IOException {
        Optional<String> problem = DomainSyntax.problem(domain);
        if (problem.isPresent()) {
            return new Change.Refused(problem.get());
        }
        String key = Addresses.domain(domain);
        return edit(s -> {
            if (routing(s).isLocalDomain(key)) {
                return new Decision.Refuse(key + " is already local");
            }
            Set<String> domains = new TreeSet<>(s.domains());
            domains.add(key);
            return new Decision.Write(s.withDomains(domains));
        });
    }

    /** Refused while users or aliases of the domain remain, so no account is silently cut off. */
    public Change removeDomain(String domain) throws IOException {
        String key = Addresses.domain(domain);
        return edit(s -> {
            if (!s.domains().contains(key)) {
                return new Decision.Refuse(settings.domains().contains(key)
                        ? key + " is configured in the config file, not added with 'domain add'"
                        : "no such domain: " + key);
            }
            long users = s.users().keySet().stream().filter(u -> Addresses.domainOf(u).equals(key)).count();
            long aliases = s.aliases().keySet().stream().filter(a -> Addresses.domainOf(a).equals(key)).count();
            if (users + aliases > 0) {
                return new Decision.Refuse(key + " still has " + users + " user(s) and " + aliases + " alias(es)");
            }
            Set<String> domains = new TreeSet<>(s.domains());
            domains.remove(key);
            return new Decision.Write(s.withDomains(domains));
        });
    }

    /**
     * Adds targets to the alias {@code address} (created if new). {@code @domain} makes a catch-all.
     * Targets may be local or remote addresses.
     */
    public Change addAlias(String address, List<String> targets) throws IOException {
        String key = Addresses.key(address);
        if (Addresses.parse(key).isEmpty() && !Addresses.isCatchAll(key)) {
            return new Change.Refused("not an address: " + address);
        }
        Optional<String> bad = targets.stream().filter(t -> Addresses.parse(t).isEmpty()).findFirst();
        if (targets.isEmpty() || bad.isPresent()) {
            return new Change.Refused("not an address: " + bad.orElse("(no target)"));
        }
        return edit(s -> {
            if (!routing(s).isLocalDomain(Addresses.domainOf(key))) {
                return new Decision.Refuse(Addresses.domainOf(key) + " is not a local domain");
            }
            Set<String> merged = new LinkedHashSet<>(s.aliases().getOrDefault(key, List.of()));
            merged.addAll(targets);
            return aliasesWith(s, key, new ArrayList<>(merged));
        });
    }

    /** Removes the given targets from an alias, or the whole alias when no target is given. */
    public Change removeAlias(String address, List<String> targets) throws IOException {
        String key = Addresses.key(address);
        return edit(s -> {
            List<String> current = s.aliases().get(key);
            if (current == null) {
                return new Decision.Refuse("no such alias: " + key);
            }
            List<String> rest = new ArrayList<>(current);
            for (String t : targets) {
                if (!rest.removeIf(r -> Addresses.key(r).equals(Addresses.key(t)))) {
                    return new Decision.Refuse(key + " has no target " + t);
                }
            }
            return aliasesWith(s, key, targets.isEmpty() ? List.of() : rest);
        });
    }

    private static Decision aliasesWith(Snapshot s, String key, List<String> targets) {
        Map<String, List<String>> aliases = new TreeMap<>(s.aliases());
        if (targets.isEmpty()) {
            aliases.remove(key);
        } else {
            aliases.put(key, List.copyOf(targets));
        }
        return new Decision.Write(s.withAliases(aliases));
    }

    private Change withPassword(String address, char[] password,
            java.util.function.BiFunction<Snapshot, Snapshot.User, Decision> change) throws IOException {
        if (Addresses.parse(address).isEmpty()) {
            return new Change.Refused("not an address: " + address);
        }
        if (password.length == 0) {
            return new Change.Refused("empty password");
        }
        byte[] salt = new byte[SCRAM_SALT_BYTES];
        random.nextBytes(salt);
        Snapshot.User user = new Snapshot.User(Addresses.key(address), argon2.hash(password),
                ScramCredentials.derive(password, salt, ScramCredentials.MIN_ITERATIONS));
        return edit(s -> change.apply(s, user));
    }

    private static Decision put(Snapshot s, Snapshot.User user) {
        Map<String, Snapshot.User> users = new TreeMap<>(s.users());
        users.put(user.address(), user);
        return new Decision.Write(s.withUsers(users));
    }

    private Routing routing(Snapshot s) {
        return new Routing(s, settings);
    }

    private Change edit(Function<Snapshot, Decision> change) throws IOException {
        return files.edit(change).<Change>map(Change.Refused::new).orElseGet(Change.Applied::new);
    }
}
