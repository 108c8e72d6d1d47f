package org.postwerk.mailbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One folder's state at one MODSEQ, immutable: the messages in UID order with their flags, MODSEQs,
 * INTERNALDATEs, sizes and locators, plus UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, the folder's keyword table
 * and the UIDs expunged since it was created (for QRESYNC's VANISHED). Sessions share snapshots: a selected
 * session holds the one it last reported to its client, so an idle session costs a reference, not a copy.
 *
 * <p>Appending shares the column arrays with the snapshot it extends (only the newest snapshot ever writes
 * past its own count, and no older one reads there); a flag change copies the flag columns, an expunge
 * copies all of them.
 */
public final class Snapshot {
    /** Keywords a folder can hold (one bit each); more are refused, as PERMANENTFLAGS then says. */
    public static final int MAX_KEYWORDS = 64;

    private final Columns c;
    private final int count;
    private final long uidValidity;
    private final long uidNext;
    private final long highestModseq;
    private final List<String> keywords; // index -> keyword, append-only
    private final ExpungeLog expunged;

    private Snapshot(Columns c, int count, long uidValidity, long uidNext, long highestModseq,
                     List<String> keywords, ExpungeLog expunged) {
        this.c = c;
        this.count = count;
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.keywords = keywords;
        this.expunged = expunged;
    }

    /** An empty folder. */
    public static Snapshot empty(long uidValidity) {
        return new Snapshot(new Columns(16), 0, uidValidity, 1, 1, List.of(), ExpungeLog.EMPTY);
    }

    /** A folder as loaded from its index: messages in ascending UID order. */
    public static Snapshot of(long uidValidity, long uidNext, long highestModseq, List<String> keywords,
                              List<Stored> messages, ExpungeLog expunged) {
        Columns c = new Columns(Math.max(16, messages.size()));
        long last = 0;
        for (int i = 0; i < messages.size(); i++) {
            Stored m = messages.get(i);
            if (m.uid() <= last || m.uid() >= uidNext || m.modseq() > highestModseq) {
                throw new IllegalArgumentException("messages out of order or beyond UIDNEXT/HIGHESTMODSEQ");
            }
            last = m.uid();
            c.set(i, m.uid(), m.modseq(), m.flags(), m.keywordBits(), m.internalDate(), m.size(), m.locator());
        }
        return new Snapshot(c, messages.size(), uidValidity, uidNext, highestModseq, List.copyOf(keywords), expunged);
    }

    /** One message as an index holds it: flags as system bits, keywords as bits of the keyword table. */
    public record Stored(long uid, long modseq, int flags, long keywordBits, long internalDate, long size,
                         String locator) {}

    public int count() {
        return count;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    public List<String> keywords() {
        return keywords;
    }

    public ExpungeLog expunged() {
        return expunged;
    }

    /** UID of the message at {@code index} (0-based; sequence number minus one). */
    public long uid(int index) {
        check(index);
        return c.uid[index];
    }

    public long modseq(int index) {
        check(index);
        return c.modseq[index];
    }

    public long internalDate(int index) {
        check(index);
        return c.date[index];
    }

    public long size(int index) {
        check(index);
        return c.size[index];
    }

    public String locator(int index) {
        check(index);
        return c.locator[index];
    }

    public int flagBits(int index) {
        check(index);
        return c.flags[index];
    }

    public long keywordBits(int index) {
        check(index);
        return c.kw[index];
    }

    public boolean has(int index, Flag flag) {
        return (flagBits(index) & flag.bit()) != 0;
    }

    public Flags flags(int index) {
        check(index);
        return new Flags(Flags.fromBits(c.flags[index]), Set.copyOf(keywordNames(c.kw[index])));
    }

    /** The index of the message with this UID, or {@code -(insertion point) - 1} as Arrays.binarySearch. */
    public int indexOf(long uid) {
        return Arrays.binarySearch(c.uid, 0, count, uid);
    }

    /** The index of the first message whose UID is at least {@code uid} (count when none). */
    public int firstAtLeast(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? i : -i - 1;
    }

    public List<String> keywordNames(long bits) {
        if (bits == 0) {
            return List.of();
        }
        List<String> out = new ArrayList<>(Long.bitCount(bits));
        for (int i = 0; i < keywords.size(); i++) {
            if ((bits & (1L << i)) != 0) {
                out.add(keywords.get(i));
            }
        }
        return out;
    }

    /** The bit of a keyword in this folder's table, or -1 when the table does not hold it. */
    public int keywordIndex(String keyword) {
        for (int i = 0; i < keywords.size(); i++) {
            if (keywords.get(i).equalsIgnoreCase(keyword)) {
                return i;
            }
        }
        return -1;
    }

    /** True when every keyword of {@code flags} has (or can get) a bit in this folder. */
    public boolean canHold(Flags flags) {
        int missing = 0;
        for (String k : flags.keywords()) {
            if (keywordIndex(k) < 0) {
                missing++;
            }
        }
        return keywords.size() + missing <= MAX_KEYWORDS;
    }

    /** A snapshot with {@code change} applied; this one is unchanged (also for a journal replay). */
    public Snapshot apply(Change change) {
        if (change.modseq() <= highestModseq) {
            throw new IllegalArgumentException("MODSEQ " + change.modseq() + " not above " + highestModseq);
        }
        return switch (change) {
            case Change.Added a -> added(a);
            case Change.FlagsSet f -> flagsSet(f);
            case Change.Expunged e -> expunged(e);
        };
    }

    private Snapshot added(Change.Added a) {
        List<String> kw = withKeywords(a.messages().stream().map(Change.Entry::flags).toList());
        Columns cols = c.capacity() >= count + a.messages().size() ? c : c.grow(count + a.messages().size(), count);
        long next = uidNext;
        int n = count;
        for (Change.Entry e : a.messages()) {
            if (e.uid() < next) {
                throw new IllegalArgumentException("UID " + e.uid() + " below UIDNEXT " + next);
            }
            cols.set(n++, e.uid(), a.modseq(), e.flags().systemBits(), bits(kw, e.flags()), e.internalDate(),
                    e.size(), e.locator());
            next = e.uid() + 1;
        }
        return new Snapshot(cols, n, uidValidity, next, a.modseq(), kw, expunged);
    }

    private Snapshot flagsSet(Change.FlagsSet f) {
        List<String> kw = withKeywords(f.updates().stream().map(Change.FlagUpdate::after).toList());
        Columns cols = c.copyFlags(count);
        for (Change.FlagUpdate u : f.updates()) {
            int i = indexOf(u.uid());
            if (i < 0) {
                continue; // expunged meanwhile: nothing to change
            }
            cols.flags[i] = u.after().systemBits();
            cols.kw[i] = bits(kw, u.after());
            cols.modseq[i] = f.modseq();
        }
        return new Snapshot(cols, count, uidValidity, uidNext, f.modseq(), kw, expunged);
    }

    private Snapshot expunged(Change.Expunged e) {
        long[] gone = e.uids().clone();
        Arrays.sort(gone);
        Columns cols = new Columns(Math.max(16, count));
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (Arrays.binarySearch(gone, c.uid[i]) < 0) {
                cols.set(n++, c.uid[i], c.modseq[i], c.flags[i], c.kw[i], c.date[i], c.size[i], c.locator[i]);
            }
        }
        return new Snapshot(cols, n, uidValidity, uidNext, e.modseq(), keywords, expunged.plus(gone, e.modseq()));
    }

    private List<String> withKeywords(List<Flags> all) {
        List<String> kw = null;
        for (Flags f : all) {
            for (String k : f.keywords()) {
                if (keywordIndex(k) < 0 && (kw == null || kw.stream().noneMatch(k::equalsIgnoreCase))) {
                    if (kw == null) {
                        kw = new ArrayList<>(keywords);
                    }
                    kw.add(k);
                }
            }
        }
        if (kw == null) {
            return keywords;
        }
        if (kw.size() > MAX_KEYWORDS) {
            throw new IllegalArgumentException("more than " + MAX_KEYWORDS + " keywords in one folder");
        }
        return List.copyOf(kw);
    }

    private static long bits(List<String> table, Flags flags) {
        long b = 0;
        for (String k : flags.keywords()) {
            for (int i = 0; i < table.size(); i++) {
                if (table.get(i).equalsIgnoreCase(k)) {
                    b |= 1L << i;
                    break;
                }
            }
        }
        return b;
    }

    private void check(int index) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(index + " of " + count);
        }
    }

    /** The column arrays; grown by doubling, shared between snapshots that only append. */
    private static final class Columns {
        final long[] uid;
        final long[] modseq;
        final int[] flags;
        final long[] kw;
        final long[] date;
        final long[] size;
        final String[] locator;

        Columns(int capacity) {
            this(new long[capacity], new long[capacity], new int[capacity], new long[capacity], new long[capacity],
                    new long[capacity], new String[capacity]);
        }

        private Columns(long[] uid, long[] modseq, int[] flags, long[] kw, long[] date, long[] size, String[] locator) {
            this.uid = uid;
            this.modseq = modseq;
            this.flags = flags;
            this.kw = kw;
            this.date = date;
            this.size = size;
            this.locator = locator;
        }

        int capacity() {
            return uid.length;
        }

        void set(int i, long uid, long modseq, int flags, long kw, long date, long size, String locator) {
            this.uid[i] = uid;
            this.modseq[i] = modseq;
            this.flags[i] = flags;
            this.kw[i] = kw;
            this.date[i] = date;
            this.size[i] = size;
            this.locator[i] = locator;
        }

        Columns grow(int needed, int count) {
            int cap = Math.max(needed, capacity() * 2);
            return new Columns(Arrays.copyOf(uid, cap), Arrays.copyOf(modseq, cap), Arrays.copyOf(flags, cap),
                    Arrays.copyOf(kw, cap), Arrays.copyOf(date, cap), Arrays.copyOf(size, cap),
                    Arrays.copyOf(locator, cap));
        }

        /** New flag, keyword and MODSEQ columns (the ones a flag change writes); the rest stay shared. */
        Columns copyFlags(int count) {
            return new Columns(uid, Arrays.copyOf(modseq, capacity()), Arrays.copyOf(flags, capacity()),
                    Arrays.copyOf(kw, capacity()), date, size, locator);
        }
    }
}
