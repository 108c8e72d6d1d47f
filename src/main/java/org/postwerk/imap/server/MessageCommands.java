package org.postwerk.imap.server;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.postwerk.imap.FetchItem;
import org.postwerk.imap.ImapCommand;
import org.postwerk.imap.MailboxName;
import org.postwerk.imap.MessageSet;
import org.postwerk.imap.ResponseCode;
import org.postwerk.imap.SequenceSet;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.Operations;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.StoreMode;
import org.postwerk.mime.MessageSummary;
import org.postwerk.mime.Sort;
import org.postwerk.mime.Threads;

/**
 * The commands of the selected state (RFC 9051 §6.4): FETCH, STORE, SEARCH (with ESEARCH and SAVE), SORT and
 * THREAD (RFC 5256), COPY and MOVE (with COPYUID), EXPUNGE and UID EXPUNGE. Message numbers are resolved
 * against the client's view; the folder is changed by UID.
 */
final class MessageCommands {
    private final ImapSession session;
    private final Selection sel;

    MessageCommands(ImapSession session) {
        this.session = session;
        this.sel = session.selected();
    }

    static final ImapSession.Reply BAD_SET = ImapSession.Reply.bad("Invalid message set");
    static final ImapSession.Reply READ_ONLY =
            ImapSession.Reply.no(ResponseCode.READ_ONLY, "The folder is read-only (EXAMINE)");

    /**
     * RFC 9051 §7.5.1: no EXPUNGE while answering FETCH, STORE or SEARCH by sequence numbers (nor SORT and
     * THREAD, for the same reason), since the client could not tell which messages the numbers meant.
     */
    static boolean expungesAllowedAfter(ImapCommand c) {
        ImapCommand.Numbering n = switch (c) {
            case ImapCommand.Fetch f -> f.numbering();
            case ImapCommand.Store s -> s.numbering();
            case ImapCommand.Search s -> s.numbering();
            case ImapCommand.Sort s -> s.numbering();
            case ImapCommand.Thread t -> t.numbering();
            default -> ImapCommand.Numbering.UID;
        };
        return n == ImapCommand.Numbering.UID;
    }

    ImapSession.Reply fetch(ImapCommand.Fetch f) throws IOException {
        boolean byUid = f.numbering() == ImapCommand.Numbering.UID;
        long[] uids = sel.uids(f.set(), byUid);
        if (uids == null) {
            return BAD_SET;
        }
        Selection.Options o = session.options();
        boolean changedSince = f.changedSince().isPresent();
        if (changedSince) {
            long since = f.changedSince().getAsLong();
            Snapshot now = sel.folder.state().current();
            uids = Arrays.stream(uids).filter(u -> {
                int i = now.indexOf(u);
                return i >= 0 && now.modseq(i) > since;
            }).toArray();
            if (f.vanished() && byUid && o.qresync()) {
                vanished(f.set(), since);
            }
        }
        long[] marked = markSeen(uids, f.items());
        sel.flagsSent(marked); // their FETCH responses carry the new flags
        boolean gone = false;
        Fetcher fetcher = new Fetcher(session, sel);
        for (long uid : uids) {
            try {
                boolean implicitFlags = Arrays.binarySearch(marked, uid) >= 0;
                gone |= !fetcher.fetch(uid, f.items(), byUid, implicitFlags, changedSince && o.condstore());
            } catch (Fetcher.UnknownEncoding e) {
                return ImapSession.Reply.no(ResponseCode.UNKNOWN_CTE, "Unknown content-transfer-encoding");
            }
        }
        return gone ? ImapSession.Reply.no(ResponseCode.EXPUNGEISSUED, "Some messages were expunged meanwhile")
                : ImapSession.Reply.ok("FETCH completed");
    }

    /** UID FETCH ... (CHANGEDSINCE m VANISHED): the UIDs of the set expunged since m (RFC 7162 §3.2.6). */
    private void vanished(MessageSet set, long since) throws IOException {
        Snapshot s = sel.seen();
        long[] gone = s.expunged().since(since);
        if (gone == null || !(set instanceof SequenceSet seq)) {
            return;
        }
        SequenceSet resolved = seq.resolve(Math.max(1, s.uidNext() - 1));
        long[] in = Arrays.stream(gone).filter(resolved::contains).toArray();
        if (in.length > 0) {
            session.out().untagged("VANISHED (EARLIER) " + SequenceSet.of(in));
        }
    }

    /** Sets \Seen on the messages whose body a non-PEEK item fetches (RFC 9051 §6.4.5); their UIDs. */
    private long[] markSeen(long[] uids, List<FetchItem> items) throws IOException {
        boolean sets = items.stream().anyMatch(i -> switch (i) {
            case FetchItem.BodySection b -> !b.peek();
            case FetchItem.Binary b -> !b.peek();
            case FetchItem.Simple s -> s.attribute() == FetchItem.Attribute.RFC822
                    || s.attribute() == FetchItem.Attribute.RFC822_TEXT;
            default -> false;
        });
        if (!sets || sel.readOnly || uids.length == 0) {
            return new long[0];
        }
        return sel.folder.store(uids, StoreMode.ADD, Flags.of(Flag.SEEN), -1).changed();
    }

    ImapSession.Reply store(ImapCommand.Store st) throws IOException {
        boolean byUid = st.numbering() == ImapCommand.Numbering.UID;
        long[] uids = sel.uids(st.set(), byUid);
        if (uids == null) {
            return BAD_SET;
        }
        if (sel.readOnly) {
            return READ_ONLY;
        }
        Flags flags = Selection.toStore(st.action().flags());
        if (!sel.folder.state().current().canHold(flags)) {
            return ImapSession.Reply.no(ResponseCode.LIMIT, "Too many keywords in this folder");
        }
        StoreMode mode = switch (st.action().mode()) {
            case ADD -> StoreMode.ADD;
            case REMOVE -> StoreMode.REMOVE;
            case REPLACE -> StoreMode.REPLACE;
        };
        long unchangedSince = st.unchangedSince().orElse(-1);
        Operations.Stored result = sel.folder.store(uids, mode, flags, unchangedSince);
        Selection.Options o = session.options();
        // RFC 9051 §6.4.6: the new flags of each message asked for (not with .SILENT); RFC 7162 §3.1.3: with
        // CONDSTORE, even .SILENT shows the messages that changed, with their new MODSEQ.
        boolean silent = st.action().silent();
        Snapshot now = sel.folder.state().current();
        Snapshot seen = sel.seen();
        for (long uid : uids) {
            int i = now.indexOf(uid);
            int seq = seen.indexOf(uid);
            boolean changed = Arrays.binarySearch(result.changed(), uid) >= 0;
            boolean refused = Arrays.binarySearch(result.modified(), uid) >= 0;
            if (i >= 0 && seq >= 0 && !refused && (!silent || o.condstore() && changed)) {
                org.postwerk.imap.ImapWriter w = sel.flagsFetch(now, i, o);
                session.out().untagged(renumber(w.toString(), i, seq));
            }
        }
        sel.flagsSent(result.changed()); // shown above, or not wanted (.SILENT): not again in the report
        if (result.modified().length > 0) {
            return ImapSession.Reply.ok(new ResponseCode.Atom("MODIFIED " + (byUid ? SequenceSet.of(result.modified())
                    : SequenceSet.of(seqs(result.modified())))), "Conditional STORE failed for some messages");
        }
        return ImapSession.Reply.ok("STORE completed");
    }

    /** A FETCH line built with the index in the newest state, numbered as the client's view numbers it. */
    private static String renumber(String fetch, int index, int seq) {
        return (seq + 1) + fetch.substring(String.valueOf(index + 1).length());
    }

    private long[] seqs(long[] uids) {
        Snapshot s = sel.seen();
        return Arrays.stream(uids).map(u -> s.indexOf(u) + 1L).filter(n -> n > 0).toArray();
    }

    ImapSession.Reply search(ImapCommand.Search s) throws IOException {
        boolean byUid = s.numbering() == ImapCommand.Numbering.UID;
        int[] hits = new Searcher(sel).run(s.key());
        Snapshot seen = sel.seen();
        long[] uids = Arrays.stream(hits).mapToLong(seen::uid).toArray();
        long[] numbers = byUid ? uids : Arrays.stream(hits).mapToLong(i -> i + 1L).toArray();
        Selection.Options o = session.options();
        long modseq = 0;
        if (Searcher.usesModseq(s.key())) {
            for (int i : hits) {
                modseq = Math.max(modseq, seen.modseq(i));
            }
        }
        Set<ImapCommand.ResultOption> ret = s.returns();
        if (ret.contains(ImapCommand.ResultOption.SAVE)) {
            sel.save(uids);
        }
        if (ret.isEmpty() && !o.rev2()) {
            StringBuilder line = new StringBuilder("SEARCH");
            for (long n : numbers) {
                line.append(' ').append(n);
            }
            if (modseq > 0) {
                line.append(" (MODSEQ ").append(modseq).append(')');
            }
            session.out().untagged(line.toString());
            return ImapSession.Reply.ok("SEARCH completed");
        }
        boolean onlySave = ret.size() == 1 && ret.contains(ImapCommand.ResultOption.SAVE);
        if (!onlySave) {
            session.out().untagged(esearch(s.tag(), byUid, ret, numbers, modseq));
        }
        return ImapSession.Reply.ok("SEARCH completed");
    }

    /** {@code ESEARCH (TAG "t") UID MIN 1 MAX 9 COUNT 3 ALL 1,5,9} (RFC 4731 §3.1; IMAP4rev2 always). */
    private static String esearch(String tag, boolean byUid, Set<ImapCommand.ResultOption> ret, long[] numbers,
                                  long modseq) {
        boolean all = ret.isEmpty() || ret.contains(ImapCommand.ResultOption.ALL)
                || ret.equals(Set.of(ImapCommand.ResultOption.SAVE));
        StringBuilder b = new StringBuilder("ESEARCH (TAG \"").append(tag).append("\")");
        if (byUid) {
            b.append(" UID");
        }
        if (numbers.length > 0) {
            if (ret.contains(ImapCommand.ResultOption.MIN)) {
                b.append(" MIN ").append(numbers[0]);
            }
            if (ret.contains(ImapCommand.ResultOption.MAX)) {
                b.append(" MAX ").append(numbers[numbers.length - 1]);
            }
            if (all && !ret.contains(ImapCommand.ResultOption.SAVE) || ret.contains(ImapCommand.ResultOption.ALL)) {
                b.append(" ALL ").append(SequenceSet.of(numbers));
            }
        }
        if (ret.contains(ImapCommand.ResultOption.COUNT)) {
            b.append(" COUNT ").append(numbers.length);
        }
        if (modseq > 0 && numbers.length > 0) {
            b.append(" MODSEQ ").append(modseq);
        }
        return b.toString();
    }

    ImapSession.Reply sort(ImapCommand.Sort s) throws IOException {
        List<MessageSummary> summaries = summaries(s.numbering(), new Searcher(sel).run(s.key()));
        if (summaries == null) {
            return ImapSession.Reply.no(ResponseCode.EXPUNGEISSUED, "Some messages were expunged meanwhile");
        }
        List<Sort.Criterion> criteria = s.criteria().stream()
                .map(c -> new Sort.Criterion(Sort.Key.valueOf(c.key().name()), c.reverse())).toList();
        StringBuilder line = new StringBuilder("SORT");
        for (MessageSummary m : Sort.sort(summaries, criteria)) {
            line.append(' ').append(m.number());
        }
        session.out().untagged(line.toString());
        return ImapSession.Reply.ok("SORT completed");
    }

    ImapSession.Reply thread(ImapCommand.Thread t) throws IOException {
        List<MessageSummary> summaries = summaries(t.numbering(), new Searcher(sel).run(t.key()));
        if (summaries == null) {
            return ImapSession.Reply.no(ResponseCode.EXPUNGEISSUED, "Some messages were expunged meanwhile");
        }
        List<Threads.Node> threads = t.algorithm() == ImapCommand.ThreadAlgorithm.REFERENCES
                ? Threads.references(summaries) : Threads.orderedSubject(summaries);
        String data = Threads.format(threads);
        session.out().untagged("THREAD" + (data.isEmpty() ? "" : " " + data));
        return ImapSession.Reply.ok("THREAD completed");
    }

    private List<MessageSummary> summaries(ImapCommand.Numbering numbering, int[] hits) throws IOException {
        Snapshot s = sel.seen();
        List<MessageSummary> out = new ArrayList<>(hits.length);
        for (int i : hits) {
            MessageData d = MessageData.of(sel.folder, s.uid(i), s.size(i)).orElse(null);
            if (d == null) {
                return null;
            }
            long number = numbering == ImapCommand.Numbering.UID ? s.uid(i) : i + 1;
            out.add(MessageSummary.of(number, s.size(i), Instant.ofEpochMilli(s.internalDate(i)),
                    d.structure().envelope()));
        }
        return out;
    }

    ImapSession.Reply copy(ImapCommand.Numbering numbering, MessageSet set, String mailbox, boolean move)
            throws IOException {
        long[] uids = sel.uids(set, numbering == ImapCommand.Numbering.UID);
        if (uids == null) {
            return BAD_SET;
        }
        if (move && sel.readOnly) {
            return READ_ONLY;
        }
        if (!(MailboxName.parse(mailbox, session.options().utf8()) instanceof MailboxName.Valid v)) {
            return MailboxCommands.BAD_NAME;
        }
        long bytes = 0;
        Snapshot s = sel.seen();
        for (long u : uids) {
            bytes += s.size(s.indexOf(u));
        }
        if (!move && !session.mail().quota().allows(bytes)) {
            return ImapSession.Reply.no(ResponseCode.OVERQUOTA, "Over quota");
        }
        Operations.Copied c;
        try (Folder target = v.name().name().equals(sel.folder.name()) ? null : session.mail().open(v.name().name())) {
            c = sel.folder.copy(uids, target == null ? sel.folder : target, move);
        } catch (MailAccess.Problem p) {
            return p.code() == MailAccess.Problem.Code.NONEXISTENT
                    ? ImapSession.Reply.no(ResponseCode.TRYCREATE, "No such folder") : MailboxCommands.problem(p);
        }
        String code = c.from().length == 0 ? null
                : "COPYUID " + c.uidValidity() + " " + SequenceSet.of(c.from()) + " " + SequenceSet.of(c.to());
        if (move) {
            // RFC 6851 §4.3: COPYUID in an untagged OK before the expunges, which the report then sends.
            if (code != null) {
                session.out().untagged("OK [" + code + "] Moved");
            }
            return ImapSession.Reply.ok("MOVE completed");
        }
        return code == null ? ImapSession.Reply.ok("COPY completed")
                : ImapSession.Reply.ok(new ResponseCode.Atom(code), "COPY completed");
    }

    ImapSession.Reply expunge(MessageSet uidSet) throws IOException {
        if (sel.readOnly) {
            return READ_ONLY;
        }
        long[] only = null;
        if (uidSet != null) {
            only = sel.uids(uidSet, true);
        }
        sel.folder.expunge(only);
        return ImapSession.Reply.ok("EXPUNGE completed");
    }
}
