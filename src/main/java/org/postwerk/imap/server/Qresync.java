package org.postwerk.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.imap.SelectParams;
import org.postwerk.imap.SequenceSet;
import org.postwerk.mailbox.Snapshot;

/**
 * Quick resynchronisation at SELECT (RFC 7162 §3.2.5): what the client missed since the MODSEQ it knew —
 * {@code VANISHED (EARLIER)} for expunged UIDs, then FETCH UID FLAGS MODSEQ for changed messages.
 */
final class Qresync {
    private Qresync() {}

    static void resync(ImapOutput out, Selection sel, SelectParams.QResync q, Selection.Options options)
            throws IOException {
        Snapshot s = sel.seen();
        if (q.uidValidity() != s.uidValidity()) {
            return; // RFC 7162 §3.2.5.2: a different UIDVALIDITY: the client starts over
        }
        SequenceSet known = q.knownUids().orElse(null);
        long[] gone = s.expunged().since(q.modseq());
        List<Long> vanished = new ArrayList<>();
        if (gone != null) {
            for (long uid : gone) {
                if (known == null || known.contains(uid)) {
                    vanished.add(uid);
                }
            }
        } else if (known != null) {
            // The log does not reach back that far: every known UID that is not here any more.
            var it = known.iterator();
            while (it.hasNext()) {
                long uid = it.nextLong();
                if (uid < s.uidNext() && s.indexOf(uid) < 0) {
                    vanished.add(uid);
                }
            }
        } else {
            long last = 0;
            for (int i = 0; i < s.count(); i++) {
                for (long uid = last + 1; uid < s.uid(i) && vanished.size() < 1_000_000; uid++) {
                    vanished.add(uid);
                }
                last = s.uid(i);
            }
        }
        if (!vanished.isEmpty()) {
            out.untagged("VANISHED (EARLIER) " + SequenceSet.of(vanished.stream().mapToLong(Long::longValue).toArray()));
        }
        for (int i = 0; i < s.count(); i++) {
            if (s.modseq(i) > q.modseq() && (known == null || known.contains(s.uid(i)))) {
                out.untagged(sel.flagsFetch(s, i, options));
            }
        }
    }
}
