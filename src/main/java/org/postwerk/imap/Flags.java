package org.postwerk.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The flags of a message (RFC 9051 §2.3.2): system flags and keywords. Flags are case-insensitive and
 * case-preserving ({@code $junk} and {@code $Junk} are one keyword, the first spelling is kept), as in
 * Dovecot and Cyrus. {@code \Recent} is not here: it is session state (RFC 3501 only, gone in RFC 9051).
 */
public record Flags(Set<SystemFlag> system, Set<String> keywords) {
    public enum SystemFlag {
        ANSWERED("\\Answered"), FLAGGED("\\Flagged"), DELETED("\\Deleted"), SEEN("\\Seen"), DRAFT("\\Draft");

        private final String wire;

        SystemFlag(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        /** The system flag named {@code flag} ({@code \Seen}, any case), if it is one. */
        public static Optional<SystemFlag> of(String flag) {
            for (SystemFlag f : values()) {
                if (f.wire.equalsIgnoreCase(flag)) {
                    return Optional.of(f);
                }
            }
            return Optional.empty();
        }
    }

    public static final Flags EMPTY = new Flags(Set.of(), Set.of());

    public Flags {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        s.addAll(system);
        system = Collections.unmodifiableSet(s);
        keywords = Collections.unmodifiableSortedSet(keywordSet(keywords));
    }

    private static SortedSet<String> keywordSet(Collection<String> keywords) {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String k : keywords) {
            if (!isKeyword(k)) {
                throw new IllegalArgumentException("not a keyword: " + k);
            }
            set.add(k);
        }
        return set;
    }

    /** flag-keyword = atom (RFC 9051 §9). */
    public static boolean isKeyword(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!Syntax.isAtomChar(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Flags from their wire names ({@code \Seen}, {@code $Forwarded}); empty when one is neither a system flag
     * nor a keyword (e.g. {@code \Recent}, {@code \*} or an unknown {@code \Word}, which clients may not set).
     */
    public static Optional<Flags> of(Collection<String> names) {
        EnumSet<SystemFlag> system = EnumSet.noneOf(SystemFlag.class);
        Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            if (name.startsWith("\\")) {
                Optional<SystemFlag> f = SystemFlag.of(name);
                if (f.isEmpty()) {
                    return Optional.empty();
                }
                system.add(f.get());
            } else if (isKeyword(name)) {
                keywords.add(name);
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(new Flags(system, keywords));
    }

    public static Flags of(String... names) {
        return of(List.of(names)).orElseThrow(() -> new IllegalArgumentException("invalid flag in " + List.of(names)));
    }

    public boolean has(SystemFlag flag) {
        return system.contains(flag);
    }

    /** Whether the flag or keyword named {@code name} is set (any case). */
    public boolean has(String name) {
        Optional<SystemFlag> f = SystemFlag.of(name);
        return f.isPresent() ? system.contains(f.get()) : keywords.contains(name);
    }

    public boolean isEmpty() {
        return system.isEmpty() && keywords.isEmpty();
    }

    public Flags with(Flags other) {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        s.addAll(system);
        s.addAll(other.system);
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        k.addAll(other.keywords);
        return new Flags(s, k);
    }

    public Flags without(Flags other) {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        s.addAll(system);
        s.removeAll(other.system);
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        k.removeAll(other.keywords);
        return new Flags(s, k);
    }

    /** The wire names: system flags in a fixed order, then keywords in case-insensitive order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(system.size() + keywords.size());
        system.forEach(f -> names.add(f.wire()));
        names.addAll(keywords);
        return names;
    }

    @Override
    public String toString() {
        return "(" + String.join(" ", names()) + ")";
    }
}
