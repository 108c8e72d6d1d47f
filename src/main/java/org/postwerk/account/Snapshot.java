package org.postwerk.account;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.postwerk.sasl.ScramCredentials;

/**
 * The account files as read at one moment: immutable, so the server can route with one snapshot while a
 * writer prepares the next. Keys are lower case ({@link Addresses#key}).
 *
 * @param users user address -> credentials
 * @param domains the domains added with {@code domain add} (configured ones are not in the files)
 * @param aliases alias address or catch-all {@code @domain} -> targets as written
 * @param problems lines that could not be read, with file and line number, for the operator
 */
record Snapshot(SortedMap<String, User> users, SortedSet<String> domains, SortedMap<String, List<String>> aliases,
        List<String> problems) {
    static final Snapshot EMPTY = new Snapshot(new TreeMap<>(), new TreeSet<>(), new TreeMap<>(), List.of());

    Snapshot {
        users = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(users));
        domains = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(domains));
        aliases = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(aliases));
        problems = List.copyOf(problems);
    }

    /** One account: its Argon2id PHC string and its SCRAM-SHA-256 credentials. */
    record User(String address, String passwordHash, ScramCredentials scram) {}

    Snapshot withUsers(Map<String, User> next) {
        return new Snapshot(new TreeMap<>(next), domains, aliases, problems);
    }

    Snapshot withDomains(Set<String> next) {
        return new Snapshot(users, new TreeSet<>(next), aliases, problems);
    }

    Snapshot withAliases(Map<String, List<String>> next) {
        return new Snapshot(users, domains, new TreeMap<>(next), problems);
    }
}
