package org.postwerk.mailbox;

import java.util.ArrayList;
import java.util.List;

/**
 * One selected session's view of a folder: the snapshot its client last heard about. Sequence numbers are
 * positions in that snapshot (plus one). {@link #sync} moves the view to the folder's current state and says
 * what to tell the client: expunges first (which renumber), then the new message count, then flag changes in
 * the new numbering (RFC 9051 §7.4 and §7.5.1: no EXPUNGE while a FETCH, STORE or SEARCH by sequence
 * numbers runs, so then the whole update waits).
 */
public final class View {
    private final FolderState folder;
    private Snapshot seen;
    private final List<long[]> recent = new ArrayList<>(); // [from, to) UID ranges that are \Recent here

    public View(FolderState folder) {
        this.folder = folder;
        this.seen = folder.current();
        claimRecent(1);
    }

    public FolderState folder() {
        return folder;
    }

    public Snapshot seen() {
        return seen;
    }

    /** What changed since the client's view, as the session must report it. */
    public record Updates(long[] expungedUids, int[] expungedSeqs, int exists, boolean existsChanged,
                          int[] flagsChanged) {
        static final Updates NONE = new Updates(new long[0], new int[0], 0, false, new int[0]);

        public boolean isEmpty() {
            return expungedUids.length == 0 && !existsChanged && flagsChanged.length == 0;
        }
    }

    /**
     * Moves the view to the folder's current state and returns what changed. With {@code expungesAllowed}
     * false and an expunge among the changes, nothing moves and nothing is returned (sent later).
     */
    public Updates sync(boolean expungesAllowed) {
        Snapshot now = folder.current();
        if (now == seen) {
            return Updates.NONE;
        }
        Snapshot old = seen;
        long[] goneUids = new long[0];
        int[] goneSeqs = new int[0];
        int gone = 0;
        int j = 0;
        for (int i = 0; i < old.count(); i++) {
            long uid = old.uid(i);
            while (j < now.count() && now.uid(j) < uid) {
                j++;
            }
            if (j >= now.count() || now.uid(j) != uid) {
                if (gone == goneUids.length) {
                    goneUids = java.util.Arrays.copyOf(goneUids, Math.max(8, gone * 2));
                    goneSeqs = java.util.Arrays.copyOf(goneSeqs, Math.max(8, gone * 2));
                }
                goneUids[gone] = uid;
                goneSeqs[gone] = i + 1;
                gone++;
            }
        }
        if (gone > 0 && !expungesAllowed) {
            return Updates.NONE;
        }
        int[] flags = new int[0];
        int f = 0;
        long oldModseq = old.highestModseq();
        long oldNext = old.uidNext();
        for (int i = 0; i < now.count() && now.uid(i) < oldNext; i++) {
            if (now.modseq(i) > oldModseq) {
                if (f == flags.length) {
                    flags = java.util.Arrays.copyOf(flags, Math.max(8, f * 2));
                }
                flags[f++] = i;
            }
        }
        seen = now;
        claimRecent(oldNext);
        int survivors = old.count() - gone;
        return new Updates(java.util.Arrays.copyOf(goneUids, gone), java.util.Arrays.copyOf(goneSeqs, gone),
                now.count(), now.count() != survivors, java.util.Arrays.copyOf(flags, f));
    }

    /** IMAP4rev1's \Recent: true when this session was the first to see the message. */
    public boolean isRecent(long uid) {
        for (long[] r : recent) {
            if (uid >= r[0] && uid < r[1]) {
                return true;
            }
        }
        return false;
    }

    /** How many messages of the view are \Recent in this session. */
    public int recentCount() {
        int n = 0;
        for (long[] r : recent) {
            int from = seen.firstAtLeast(r[0]);
            int to = seen.firstAtLeast(r[1]);
            n += to - from;
        }
        return n;
    }

    private void claimRecent(long from) {
        long next = seen.uidNext();
        long claimed = folder.claimRecent(next);
        long start = Math.max(from, claimed);
        if (start < next) {
            recent.add(new long[] {start, next});
        }
    }
}
