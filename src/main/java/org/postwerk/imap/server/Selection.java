package org.postwerk.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.PrimitiveIterator;
import java.util.Set;
import org.postwerk.imap.Flags;
import org.postwerk.imap.ImapWriter;
import org.postwerk.imap.MessageSet;
import org.postwerk.imap.SequenceSet;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.View;

/**
 * The selected folder of a session (RFC 9051 §3.3): the open {@link Folder}, the session's {@link View} of it
 * (what sequence numbers mean), read-only or not (EXAMINE), and the saved search result ({@code $}, RFC 5182).
 * {@link #report} sends what changed since the client's view, in the order RFC 9051 §7.4-7.5 wants.
 */
final class Selection implements AutoCloseable {
    final Folder folder;
    final View view;
    final boolean readOnly;
    private long[] saved = new long[0]; // UIDs of SEARCH RETURN (SAVE)
    private long[] flagsSent = new long[0]; // UIDs whose new flags the command's own responses carried (ascending)

    Selection(Folder folder, boolean readOnly) {
        this.folder = folder;
        this.view = new View(folder.state());
        this.readOnly = readOnly;
    }

    Snapshot seen() {
        return view.seen();
    }

    void save(long[] uids) {
        saved = uids;
    }

    /** The current command's responses showed these messages' new flags (STORE, FETCH setting \Seen). */
    void flagsSent(long[] uids) {
        long[] sorted = uids.clone();
        java.util.Arrays.sort(sorted);
        flagsSent = sorted;
    }

    /**
     * The UIDs a message set names, ascending, each present in the client's view: sequence numbers (with
     * {@code *} the last message) or UIDs (with {@code *} the highest UID; UIDs not in the folder are left
     * out, RFC 9051 §6.4.9). Null when a sequence number is beyond the view (a BAD, RFC 9051 §6.4.4 ...).
     */
    long[] uids(MessageSet set, boolean byUid) {
        Snapshot s = seen();
        if (set instanceof MessageSet.Saved) {
            return Arrays.stream(saved).filter(u -> s.indexOf(u) >= 0).toArray();
        }
        SequenceSet seq = (SequenceSet) set;
        if (byUid) {
            long max = s.count() == 0 ? 0 : s.uid(s.count() - 1);
            SequenceSet resolved = seq.resolve(Math.max(max, 1));
            List<Long> out = new ArrayList<>();
            // Walk the folder rather than the set: a set may name millions of UIDs that do not exist.
            for (int i = 0; i < s.count(); i++) {
                if (resolved.contains(s.uid(i))) {
                    out.add(s.uid(i));
                }
            }
            if (s.count() == 0 && seq.hasStar()) {
                return new long[0];
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
        if (s.count() == 0) {
            return seq.hasStar() ? new long[0] : null; // "1:*" of an empty folder is nothing, "1" an error
        }
        SequenceSet resolved = seq.resolve(s.count());
        if (resolved.highestNumber() > s.count()) {
            return null;
        }
        long[] out = new long[(int) Math.min(resolved.count(), s.count())];
        int n = 0;
        PrimitiveIterator.OfLong it = resolved.iterator();
        while (it.hasNext()) {
            out[n++] = s.uid((int) it.nextLong() - 1);
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * Picks up deliveries and sends the client what changed: EXPUNGE (or VANISHED with QRESYNC), EXISTS and
     * RECENT, then FETCH FLAGS for flag changes. With {@code expungesAllowed} false (during FETCH, STORE and
     * SEARCH by sequence number) and an expunge pending, everything waits for a later command.
     */
    void report(ImapOutput out, boolean expungesAllowed, Options options) throws IOException {
        folder.refresh();
        View.Updates u = view.sync(expungesAllowed);
        if (u.isEmpty()) {
            return;
        }
        if (u.expungedUids().length > 0) {
            if (options.qresync()) {
                out.untagged("VANISHED " + SequenceSet.of(u.expungedUids()));
            } else {
                int[] seqs = u.expungedSeqs();
                for (int i = seqs.length - 1; i >= 0; i--) { // highest first: the lower numbers stay valid
                    out.untagged(seqs[i] + " EXPUNGE");
                }
            }
        }
        if (u.existsChanged()) {
            out.untagged(u.exists() + " EXISTS");
            if (!options.rev2()) {
                out.untagged(view.recentCount() + " RECENT");
            }
        }
        Snapshot s = seen();
        for (int i : u.flagsChanged()) {
            if (Arrays.binarySearch(flagsSent, s.uid(i)) < 0) {
                out.untagged(flagsFetch(s, i, options));
            }
        }
        flagsSent = new long[0];
    }

    /** {@code n FETCH (UID u FLAGS (...) [MODSEQ (m)])} for the message at index {@code i} of the view. */
    ImapWriter flagsFetch(Snapshot s, int i, Options options) {
        ImapWriter w = new ImapWriter(options.utf8());
        w.number(i + 1).atom("FETCH").open().atom("UID").number(s.uid(i)).atom("FLAGS");
        flags(w, s, i, options);
        if (options.condstore()) {
            w.atom("MODSEQ").open().number(s.modseq(i)).close();
        }
        return w.close();
    }

    /** The flag list of a message, with \Recent for IMAP4rev1 clients when this session saw it first. */
    void flags(ImapWriter w, Snapshot s, int i, Options options) {
        w.open();
        for (String f : toImap(s.flags(i)).names()) {
            w.atom(f);
        }
        if (!options.rev2() && view.isRecent(s.uid(i))) {
            w.atom("\\Recent");
        }
        w.close();
    }

    static Flags toImap(org.postwerk.mailbox.Flags f) {
        EnumSet<Flags.SystemFlag> s = EnumSet.noneOf(Flags.SystemFlag.class);
        for (Flag flag : f.system()) {
            s.add(Flags.SystemFlag.of(flag.imap()).orElseThrow());
        }
        return new Flags(s, f.keywords());
    }

    static org.postwerk.mailbox.Flags toStore(Flags f) {
        Set<Flag> s = EnumSet.noneOf(Flag.class);
        for (Flags.SystemFlag flag : f.system()) {
            s.add(Flag.ofImap(flag.wire()));
        }
        return new org.postwerk.mailbox.Flags(s, f.keywords());
    }

    @Override
    public void close() {
        folder.close();
    }

    /** What the client enabled or speaks, which shapes the responses. */
    record Options(boolean rev2, boolean utf8, boolean condstore, boolean qresync) {}
}
