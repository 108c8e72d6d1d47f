package org.postwerk.mailbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The planning half of the folder operations, independent of any backend: which messages a STORE changes
 * (with CONDSTORE's UNCHANGEDSINCE, RFC 7162 §3.1.3), which an EXPUNGE removes, which UIDs an APPEND, COPY or
 * MOVE gives (UIDPLUS, RFC 4315). Pure functions of a snapshot.
 */
public final class Operations {
    private Operations() {}

    /** What a STORE did: messages changed (UIDs, in order) and those refused by UNCHANGEDSINCE (MODIFIED). */
    public record Stored(long[] changed, long[] modified) {}

    /**
     * Plans a STORE on the given UIDs (ascending; those no longer present are skipped). A message whose flags
     * would not change is left alone (no new MODSEQ), as RFC 7162 §3.1.3 allows.
     *
     * @param unchangedSince refuse messages whose MODSEQ is above this (-1: no condition)
     */
    public static FolderState.Plan<Stored> store(Snapshot tip, long modseq, long[] uids, StoreMode mode, Flags flags,
                                                  long unchangedSince) {
        List<Change.FlagUpdate> updates = new ArrayList<>();
        long[] changed = new long[uids.length];
        long[] modified = new long[uids.length];
        int c = 0;
        int m = 0;
        for (long uid : uids) {
            int i = tip.indexOf(uid);
            if (i < 0) {
                continue;
            }
            if (unchangedSince >= 0 && tip.modseq(i) > unchangedSince) {
                modified[m++] = uid;
                continue;
            }
            Flags before = tip.flags(i);
            Flags after = mode.apply(before, flags);
            if (!after.equals(before)) {
                updates.add(new Change.FlagUpdate(uid, tip.locator(i), before, after));
                changed[c++] = uid;
            }
        }
        Stored result = new Stored(java.util.Arrays.copyOf(changed, c), java.util.Arrays.copyOf(modified, m));
        return updates.isEmpty() ? FolderState.Plan.none(result)
                : FolderState.Plan.of(new Change.FlagsSet(modseq, updates), result);
    }

    /**
     * Plans an EXPUNGE of the messages flagged \Deleted, all of them or only those among {@code uids}
     * (UID EXPUNGE, RFC 4315 §2.1; null: all). Returns the expunged UIDs.
     */
    public static FolderState.Plan<long[]> expunge(Snapshot tip, long modseq, long[] uids) {
        List<Long> gone = new ArrayList<>();
        List<String> locators = new ArrayList<>();
        for (int i = 0; i < tip.count(); i++) {
            if (tip.has(i, Flag.DELETED) && (uids == null || java.util.Arrays.binarySearch(uids, tip.uid(i)) >= 0)) {
                gone.add(tip.uid(i));
                locators.add(tip.locator(i));
            }
        }
        long[] g = gone.stream().mapToLong(Long::longValue).toArray();
        return g.length == 0 ? FolderState.Plan.none(g)
                : FolderState.Plan.of(new Change.Expunged(modseq, g, locators), g);
    }

    /** Plans new messages with the next UIDs; returns the UIDs. */
    public static FolderState.Plan<long[]> add(Snapshot tip, long modseq, List<NewMessage> messages) {
        List<Change.Entry> entries = new ArrayList<>(messages.size());
        long uid = tip.uidNext();
        for (NewMessage m : messages) {
            entries.add(new Change.Entry(uid++, m.locator(), m.flags(), m.internalDate(), m.size()));
        }
        return FolderState.Plan.of(new Change.Added(modseq, entries),
                entries.stream().mapToLong(Change.Entry::uid).toArray());
    }

    /** A COPY or MOVE result for COPYUID (RFC 4315 §3): source and destination UIDs, pairwise. */
    public record Copied(long uidValidity, long[] from, long[] to) {}

    /**
     * Plans a COPY or MOVE from {@code source} to {@code target}: the messages of {@code uids} still present,
     * in UID order, get the target's next UIDs, keeping their flags and INTERNALDATE; {@code locators} gives
     * each copy's locator in the target (the backend placed or will place the file). A MOVE also expunges
     * them from the source (RFC 6851), in the same record.
     */
    public static FolderState.Plan<Copied> copy(String sourceName, Snapshot source, Snapshot target, long sourceModseq,
                                                long targetModseq,
                                                long[] uids, java.util.function.UnaryOperator<String> locators,
                                                boolean move) {
        List<Change.Entry> entries = new ArrayList<>();
        List<String> goneLocators = new ArrayList<>();
        long[] from = new long[uids.length];
        int n = 0;
        long next = target.uidNext();
        for (long uid : uids) {
            int i = source.indexOf(uid);
            if (i < 0) {
                continue;
            }
            from[n++] = uid;
            entries.add(new Change.Entry(next++, locators.apply(source.locator(i)), source.flags(i),
                    source.internalDate(i), source.size(i), source.locator(i)));
            goneLocators.add(source.locator(i));
        }
        from = java.util.Arrays.copyOf(from, n);
        long[] to = entries.stream().mapToLong(Change.Entry::uid).toArray();
        Copied result = new Copied(target.uidValidity(), from, to);
        if (n == 0) {
            return FolderState.Plan.none(result);
        }
        Change added = new Change.Added(targetModseq, entries, sourceName);
        Change expunged = move ? new Change.Expunged(sourceModseq, from, goneLocators) : null;
        return new FolderState.Plan<>(java.util.Arrays.asList(expunged, added), result, null);
    }
}
