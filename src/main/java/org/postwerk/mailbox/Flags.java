package org.postwerk.mailbox;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags of one message: system flags and keywords (RFC 9051 §2.3.2). Keywords compare case-insensitively
 * (the first spelling a folder saw is kept); this value holds them as given.
 */
public record Flags(Set<Flag> system, Set<String> keywords) {
    public static final Flags NONE = new Flags(EnumSet.noneOf(Flag.class), Set.of());

    public Flags {
        system = system.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(system));
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        keywords = java.util.Collections.unmodifiableSet(k);
    }

    public static Flags of(Flag... flags) {
        return new Flags(flags.length == 0 ? EnumSet.noneOf(Flag.class) : EnumSet.of(flags[0], flags), Set.of());
    }

    public boolean has(Flag f) {
        return system.contains(f);
    }

    public boolean hasKeyword(String keyword) {
        return keywords.contains(keyword);
    }

    public int systemBits() {
        int bits = 0;
        for (Flag f : system) {
            bits |= f.bit();
        }
        return bits;
    }

    public static Set<Flag> fromBits(int bits) {
        EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
        for (Flag f : Flag.values()) {
            if ((bits & f.bit()) != 0) {
                s.add(f);
            }
        }
        return s;
    }

    public Flags plus(Flags other) {
        EnumSet<Flag> s = copy(system);
        s.addAll(other.system);
        return new Flags(s, merged(keywords, other.keywords));
    }

    public Flags minus(Flags other) {
        EnumSet<Flag> s = copy(system);
        s.removeAll(other.system);
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(keywords);
        k.removeAll(other.keywords);
        return new Flags(s, k);
    }

    /** The IMAP form, system flags first: {@code \Seen \Flagged $Junk}. */
    public List<String> imap() {
        List<String> out = new ArrayList<>();
        for (Flag f : Flag.values()) {
            if (system.contains(f)) {
                out.add(f.imap());
            }
        }
        out.addAll(keywords);
        return out;
    }

    private static EnumSet<Flag> copy(Set<Flag> s) {
        return s.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(s);
    }

    private static Set<String> merged(Collection<String> a, Collection<String> b) {
        TreeSet<String> k = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        k.addAll(a);
        k.addAll(b);
        return k;
    }
}
