package org.postwerk.mailbox;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which UIDs were expunged at which MODSEQ, so that a QRESYNC client (RFC 7162 §3.2.5.2) hears only the
 * expunges it missed. Bounded: beyond {@link #MAX_UIDS} remembered UIDs the oldest entries are dropped and
 * {@link #floor()} rises; for a client older than the floor the server falls back to reporting every UID
 * below UIDNEXT that is not in the folder (which RFC 7162 allows). Immutable.
 */
public final class ExpungeLog {
    public static final int MAX_UIDS = 100_000;
    public static final ExpungeLog EMPTY = new ExpungeLog(List.of(), 0, 0);

    /** UIDs (ascending) expunged at one MODSEQ. */
    public record Entry(long modseq, long[] uids) {}

    private final List<Entry> entries; // ascending MODSEQ
    private final long floor;
    private final int size;

    public ExpungeLog(List<Entry> entries, long floor) {
        this(List.copyOf(entries), floor, entries.stream().mapToInt(e -> e.uids().length).sum());
    }

    private ExpungeLog(List<Entry> entries, long floor, int size) {
        this.entries = entries;
        this.floor = floor;
        this.size = size;
    }

    /** Expunges at or below this MODSEQ may be forgotten. */
    public long floor() {
        return floor;
    }

    public List<Entry> entries() {
        return entries;
    }

    ExpungeLog plus(long[] sortedUids, long modseq) {
        List<Entry> list = new ArrayList<>(entries.size() + 1);
        list.addAll(entries);
        list.add(new Entry(modseq, sortedUids));
        int n = size + sortedUids.length;
        long f = floor;
        int drop = 0;
        while (n > MAX_UIDS && drop < list.size() - 1) {
            n -= list.get(drop).uids().length;
            f = list.get(drop).modseq();
            drop++;
        }
        return new ExpungeLog(List.copyOf(list.subList(drop, list.size())), f, n);
    }

    /**
     * The UIDs expunged after {@code modseq}, ascending, or null when the log no longer reaches back that far
     * (then the caller reports what is missing from the folder instead).
     */
    public long[] since(long modseq) {
        if (modseq < floor) {
            return null;
        }
        long[] out = new long[0];
        int n = 0;
        for (Entry e : entries) {
            if (e.modseq() > modseq) {
                if (n + e.uids().length > out.length) {
                    out = Arrays.copyOf(out, Math.max(n + e.uids().length, out.length * 2));
                }
                System.arraycopy(e.uids(), 0, out, n, e.uids().length);
                n += e.uids().length;
            }
        }
        out = Arrays.copyOf(out, n);
        Arrays.sort(out);
        return out;
    }
}
