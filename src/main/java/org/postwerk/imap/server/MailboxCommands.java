package org.postwerk.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postwerk.imap.ImapCommand;
import org.postwerk.imap.ImapWriter;
import org.postwerk.imap.MailboxName;
import org.postwerk.imap.ResponseCode;
import org.postwerk.imap.SelectParams;
import org.postwerk.imap.SequenceSet;
import org.postwerk.imap.StatusItem;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Folder;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mailbox.SpecialUse;

/**
 * The commands of the authenticated state (RFC 9051 §6.3) on the user's folders: SELECT/EXAMINE (with
 * CONDSTORE and QRESYNC), CREATE (with special use), DELETE, RENAME, SUBSCRIBE, LIST/LSUB (with
 * LIST-EXTENDED and LIST-STATUS in {@link Listing}), NAMESPACE, STATUS, APPEND, GETQUOTA(ROOT).
 */
final class MailboxCommands {
    private final ImapSession session;

    MailboxCommands(ImapSession session) {
        this.session = session;
    }

    private ImapOutput out() {
        return session.out();
    }

    private MailAccess mail() {
        return session.mail();
    }

    /** A decoded, acceptable name, or null. */
    private MailboxName name(String wire) {
        return MailboxName.parse(wire, session.options().utf8()) instanceof MailboxName.Valid v ? v.name() : null;
    }

    static ImapSession.Reply problem(MailAccess.Problem p) {
        return ImapSession.Reply.no(new ResponseCode.Atom(p.code().name()), p.getMessage());
    }

    static final ImapSession.Reply BAD_NAME = ImapSession.Reply.no(ResponseCode.CANNOT, "Invalid mailbox name");

    record Opened(Selection selection, ImapSession.Reply reply) {}

    Opened select(String wire, SelectParams params, boolean readOnly) throws IOException {
        MailboxName name = name(wire);
        if (name == null) {
            return new Opened(null, BAD_NAME);
        }
        Folder folder;
        try {
            folder = mail().open(name.name());
        } catch (MailAccess.Problem p) {
            return new Opened(null, problem(p));
        }
        Selection sel;
        try {
            folder.refresh();
            sel = new Selection(folder, readOnly);
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
        Snapshot s = sel.seen();
        Selection.Options o = session.options();
        ImapWriter flags = new ImapWriter(o.utf8()).atom("FLAGS").open();
        for (Flag f : Flag.values()) {
            flags.atom(f.imap());
        }
        s.keywords().forEach(flags::atom);
        out().untagged(flags.close());
        List<String> pf = new ArrayList<>();
        for (Flag f : Flag.values()) {
            pf.add(f.imap());
        }
        pf.addAll(s.keywords());
        if (s.keywords().size() < Snapshot.MAX_KEYWORDS) {
            pf.add("\\*");
        }
        out().untagged("OK [PERMANENTFLAGS (" + (readOnly ? "" : String.join(" ", pf)) + ")] Flags permitted");
        out().untagged(s.count() + " EXISTS");
        if (!o.rev2()) {
            out().untagged(sel.view.recentCount() + " RECENT");
            for (int i = 0; i < s.count(); i++) {
                if (!s.has(i, Flag.SEEN)) {
                    out().untagged("OK [UNSEEN " + (i + 1) + "] First unseen");
                    break;
                }
            }
        }
        out().untagged("OK [UIDVALIDITY " + s.uidValidity() + "] UIDs valid");
        out().untagged("OK [UIDNEXT " + s.uidNext() + "] Predicted next UID");
        out().untagged("OK [HIGHESTMODSEQ " + s.highestModseq() + "] Highest");
        if (params.qresync().isPresent() && o.qresync()) {
            Qresync.resync(out(), sel, params.qresync().get(), o);
        }
        return new Opened(sel, ImapSession.Reply.ok(readOnly ? ResponseCode.READ_ONLY : ResponseCode.READ_WRITE,
                (readOnly ? "EXAMINE" : "SELECT") + " completed"));
    }

    ImapSession.Reply create(ImapCommand.Create c) throws IOException {
        MailboxName name = name(c.mailbox());
        if (name == null) {
            return BAD_NAME;
        }
        Optional<SpecialUse> use = Optional.empty();
        if (c.specialUse().size() > 1) {
            return ImapSession.Reply.no(ResponseCode.USEATTR, "One special use per folder");
        }
        if (!c.specialUse().isEmpty()) {
            SpecialUse u = SpecialUse.ofAttribute(c.specialUse().get(0));
            if (u == null) {
                return ImapSession.Reply.no(ResponseCode.USEATTR, "Unsupported special-use attribute");
            }
            use = Optional.of(u);
        }
        try {
            mail().create(name.name(), use);
        } catch (MailAccess.Problem p) {
            return problem(p);
        }
        return ImapSession.Reply.ok("CREATE completed");
    }

    ImapSession.Reply delete(ImapCommand.Delete d) throws IOException {
        MailboxName name = name(d.mailbox());
        if (name == null) {
            return BAD_NAME;
        }
        Selection sel = session.selected();
        if (sel != null && sel.folder.name().equals(name.name())) {
            return ImapSession.Reply.no(ResponseCode.INUSE, "Close the folder before deleting it");
        }
        try {
            mail().delete(name.name());
        } catch (MailAccess.Problem p) {
            return problem(p);
        }
        return ImapSession.Reply.ok("DELETE completed");
    }

    ImapSession.Reply rename(ImapCommand.Rename r) throws IOException {
        MailboxName from = name(r.from());
        MailboxName to = name(r.to());
        if (from == null || to == null) {
            return BAD_NAME;
        }
        try {
            mail().rename(from.name(), to.name());
        } catch (MailAccess.Problem p) {
            return problem(p);
        }
        return ImapSession.Reply.ok("RENAME completed");
    }

    ImapSession.Reply subscribe(String wire, boolean on) throws IOException {
        MailboxName name = name(wire);
        if (name == null) {
            return BAD_NAME;
        }
        mail().subscribe(name.name(), on);
        return ImapSession.Reply.ok((on ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
    }

    ImapSession.Reply list(ImapCommand.ListMailboxes l) throws IOException {
        new Listing(session).list(l);
        return ImapSession.Reply.ok("LIST completed");
    }

    ImapSession.Reply lsub(ImapCommand.Lsub l) throws IOException {
        new Listing(session).lsub(l);
        return ImapSession.Reply.ok("LSUB completed");
    }

    ImapSession.Reply namespace() throws IOException {
        out().untagged("NAMESPACE ((\"\" \"/\")) NIL NIL"); // one personal namespace (RFC 2342)
        return ImapSession.Reply.ok("NAMESPACE completed");
    }

    ImapSession.Reply status(ImapCommand.Status s) throws IOException {
        MailboxName name = name(s.mailbox());
        if (name == null) {
            return BAD_NAME;
        }
        try {
            out().untagged(statusLine(name, s.items()));
        } catch (MailAccess.Problem p) {
            return problem(p);
        }
        return ImapSession.Reply.ok("STATUS completed");
    }

    /** {@code STATUS name (ITEM value ...)} for a folder (also for LIST-STATUS). */
    ImapWriter statusLine(MailboxName name, List<StatusItem> items) throws IOException, MailAccess.Problem {
        Selection.Options o = session.options();
        ImapWriter w = new ImapWriter(o.utf8()).atom("STATUS").string(name.toWire(o.utf8())).open();
        try (Folder f = mail().open(name.name())) {
            f.refresh();
            Snapshot s = f.state().current();
            for (StatusItem item : items) {
                if (item == StatusItem.RECENT && o.rev2()) {
                    continue; // RFC 9051 removed RECENT
                }
                w.atom(item.wire()).number(value(item, s));
            }
        }
        return w.close();
    }

    private long value(StatusItem item, Snapshot s) throws IOException {
        return switch (item) {
            case MESSAGES -> s.count();
            case UIDNEXT -> s.uidNext();
            case UIDVALIDITY -> s.uidValidity();
            case UNSEEN -> count(s, Flag.SEEN, false);
            case DELETED -> count(s, Flag.DELETED, true);
            case SIZE -> total(s, null);
            case RECENT -> 0; // \Recent belongs to the sessions that saw the messages first
            case HIGHESTMODSEQ -> s.highestModseq();
            case APPENDLIMIT -> session.settings().appendLimit();
            case DELETED_STORAGE -> total(s, Flag.DELETED);
        };
    }

    private static long count(Snapshot s, Flag flag, boolean set) {
        long n = 0;
        for (int i = 0; i < s.count(); i++) {
            if (s.has(i, flag) == set) {
                n++;
            }
        }
        return n;
    }

    private static long total(Snapshot s, Flag only) {
        long n = 0;
        for (int i = 0; i < s.count(); i++) {
            if (only == null || s.has(i, only)) {
                n += s.size(i);
            }
        }
        return n;
    }

    ImapSession.Reply append(ImapCommand.Append a) throws IOException {
        MailboxName name = name(a.mailbox());
        if (name == null) {
            return BAD_NAME;
        }
        if (a.message().size() > session.settings().appendLimit()) {
            return ImapSession.Reply.no(ResponseCode.TOOBIG, "Message too large");
        }
        if (!mail().quota().allows(a.message().size())) {
            return ImapSession.Reply.no(ResponseCode.OVERQUOTA, "Over quota");
        }
        long date = a.internalDate().map(d -> d.toInstant().toEpochMilli())
                .orElse(session.services().clock().millis());
        Folder folder;
        try {
            folder = mail().open(name.name());
        } catch (MailAccess.Problem p) {
            return p.code() == MailAccess.Problem.Code.NONEXISTENT
                    ? ImapSession.Reply.no(ResponseCode.TRYCREATE, "No such folder") : problem(p);
        }
        try (folder) {
            long uid = folder.append(a.message()::writeTo, a.message().size(), Selection.toStore(a.flags()), date);
            return ImapSession.Reply.ok(new ResponseCode.Atom("APPENDUID " + folder.state().current().uidValidity()
                    + " " + uid), "APPEND completed");
        } catch (MailAccess.Problem p) {
            return problem(p);
        }
    }

    ImapSession.Reply getQuota(String root) throws IOException {
        MailAccess.Quota q = mail().quota();
        if (!root.isEmpty() || q.limitBytes() < 0) {
            return ImapSession.Reply.no(ResponseCode.NONEXISTENT, "No such quota root");
        }
        out().untagged(quotaLine(q));
        return ImapSession.Reply.ok("GETQUOTA completed");
    }

    ImapSession.Reply getQuotaRoot(String wire) throws IOException {
        MailboxName name = name(wire);
        if (name == null) {
            return BAD_NAME;
        }
        if (mail().folder(name.name()).isEmpty()) {
            return ImapSession.Reply.no(ResponseCode.NONEXISTENT, "No such folder");
        }
        MailAccess.Quota q = mail().quota();
        Selection.Options o = session.options();
        ImapWriter w = new ImapWriter(o.utf8()).atom("QUOTAROOT").string(name.toWire(o.utf8()));
        if (q.limitBytes() >= 0) {
            w.string("");
        }
        out().untagged(w);
        if (q.limitBytes() >= 0) {
            out().untagged(quotaLine(q));
        }
        return ImapSession.Reply.ok("GETQUOTAROOT completed");
    }

    /** RFC 9208 §5.1: STORAGE in units of 1024 octets. */
    private static String quotaLine(MailAccess.Quota q) {
        return "QUOTA \"\" (STORAGE " + (q.usedBytes() + 1023) / 1024 + " " + q.limitBytes() / 1024 + ")";
    }

    static String set(long[] uids) {
        return SequenceSet.of(uids).toString();
    }
}
