package org.postwerk.imap.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import org.postwerk.imap.Flags;
import org.postwerk.imap.SearchKey;
import org.postwerk.imap.SequenceSet;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mime.HeaderBlock;
import org.postwerk.mime.HeaderText;
import org.postwerk.mime.SearchText;

/**
 * Evaluates a SEARCH key (RFC 9051 §6.4.4) on the messages of the client's view. Keys on flags, sizes,
 * dates, numbers and MODSEQ are answered from the folder's state; header keys from the cached header block;
 * BODY and TEXT read the message's text parts (decoded). Cheap keys of an AND are tried first, so the costly
 * ones run only on messages still in the race.
 */
final class Searcher {
    private final Selection sel;
    private final Snapshot s;
    private final Snapshot now;
    private final ZoneId zone = ZoneId.systemDefault();
    /** Search strings folded once per command, not once per message. */
    private final java.util.Map<String, String> needles = new java.util.HashMap<>();
    private final java.util.Map<String, HeaderBlock.SearchField> fields = new java.util.HashMap<>();

    Searcher(Selection sel) {
        this.sel = sel;
        this.s = sel.seen();
        this.now = sel.folder.state().current();
    }

    /** The indexes (0-based, in the client's view) of the matching messages, ascending. */
    int[] run(SearchKey key) throws IOException {
        SearchKey ordered = cheapFirst(key);
        int[] out = new int[s.count()];
        int n = 0;
        for (int i = 0; i < s.count(); i++) {
            if (matches(ordered, new Message(i))) {
                out[n++] = i;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** One message while the key is evaluated on it; the cached data is loaded at most once. */
    private final class Message {
        final int index;
        MessageData data;
        String body;
        String partHeaders;
        boolean gone;

        Message(int index) {
            this.index = index;
        }

        long uid() {
            return s.uid(index);
        }

        /** Flags from the newest state: a STORE of this session is seen by its next SEARCH. */
        int flagBits() {
            int i = now.indexOf(uid());
            return i >= 0 ? now.flagBits(i) : s.flagBits(index);
        }

        boolean hasKeyword(String k) {
            int i = now.indexOf(uid());
            Snapshot from = i >= 0 ? now : s;
            int at = i >= 0 ? i : index;
            return from.keywordNames(from.keywordBits(at)).stream().anyMatch(k::equalsIgnoreCase);
        }

        MessageData data() throws IOException {
            if (data == null && !gone) {
                data = MessageData.of(sel.folder, uid(), s.size(index)).orElse(null);
                gone = data == null;
            }
            return data;
        }

        /** The header block, parsed once and shared with later searches and other sessions; null when gone. */
        HeaderBlock headers() throws IOException {
            MessageData d = data();
            return d == null ? null : d.headers();
        }

        List<HeaderText.Field> fields() throws IOException {
            HeaderBlock h = headers();
            return h == null ? List.of() : h.fields();
        }

        String body() throws IOException {
            if (body == null) {
                MessageData d = data();
                body = d == null ? "" : SearchText.bodyText(d.structure(), this::range);
            }
            return body;
        }

        String partHeaders() throws IOException {
            if (partHeaders == null) {
                MessageData d = data();
                partHeaders = d == null ? "" : SearchText.partHeaders(d.structure(), this::range);
            }
            return partHeaders;
        }

        private InputStream range(long start, long end) throws IOException {
            InputStream in = sel.folder.content(uid()).orElse(InputStream.nullInputStream());
            in.skipNBytes(Math.min(start, Long.MAX_VALUE));
            return new java.io.FilterInputStream(in) {
                long left = end - start;

                @Override
                public int read() throws IOException {
                    return left-- > 0 ? super.read() : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int r = super.read(b, off, (int) Math.min(len, left));
                    left -= Math.max(r, 0);
                    return r;
                }
            };
        }
    }

    private boolean matches(SearchKey key, Message m) throws IOException {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.HasFlag f -> hasFlag(m, f.flag());
            case SearchKey.Recent r -> sel.view.isRecent(m.uid());
            case SearchKey.Larger l -> s.size(m.index) > l.size();
            case SearchKey.Smaller l -> s.size(m.index) < l.size();
            case SearchKey.Sequence q -> inSet(q.set(), m.index + 1, s.count());
            case SearchKey.Uid u -> inUidSet(u.set(), m.uid());
            case SearchKey.Modseq q -> s.modseq(m.index) >= q.modseq();
            case SearchKey.Date d -> date(d, m);
            case SearchKey.Header h -> header(m, h.field(), h.value());
            case SearchKey.Body b -> SearchText.Needle.of(b.value()).in(m.body());
            case SearchKey.Text t -> text(m, t.value());
            case SearchKey.Not n -> !matches(n.key(), m);
            case SearchKey.Or o -> matches(o.left(), m) || matches(o.right(), m);
            case SearchKey.And a -> {
                for (SearchKey k : a.keys()) {
                    if (!matches(k, m)) {
                        yield false;
                    }
                }
                yield true;
            }
        };
    }

    private boolean hasFlag(Message m, String flag) {
        Flag f = Flag.ofImap(flag);
        if (f != null) {
            return (m.flagBits() & f.bit()) != 0;
        }
        return Flags.SystemFlag.of(flag).isEmpty() && m.hasKeyword(flag);
    }

    private boolean inSet(org.postwerk.imap.MessageSet set, long n, long max) {
        if (set instanceof SequenceSet seq) {
            return seq.resolve(Math.max(max, 1)).contains(n);
        }
        long[] saved = sel.uids(set, true);
        return java.util.Arrays.binarySearch(saved, s.uid((int) n - 1)) >= 0;
    }

    private boolean inUidSet(org.postwerk.imap.MessageSet set, long uid) {
        if (set instanceof SequenceSet seq) {
            long max = s.count() == 0 ? 1 : s.uid(s.count() - 1);
            return seq.resolve(max).contains(uid);
        }
        return java.util.Arrays.binarySearch(sel.uids(set, true), uid) >= 0;
    }

    private boolean date(SearchKey.Date d, Message m) throws IOException {
        LocalDate date;
        if (d.field() == SearchKey.DateField.INTERNAL) {
            date = Instant.ofEpochMilli(s.internalDate(m.index)).atZone(zone).toLocalDate();
        } else {
            HeaderBlock h = m.headers();
            date = h == null ? null : h.sentDate();
            if (date == null) {
                // No usable Date: never matches a sent-date key. Dovecot 2.3 takes 1970 instead (its SENTBEFORE
                // finds every such message); interop/imap-dovecot allows that difference.
                return false;
            }
        }
        return switch (d.comparison()) {
            case BEFORE -> date.isBefore(d.date());
            case ON -> date.isEqual(d.date());
            case SINCE -> !date.isBefore(d.date());
        };
    }

    /**
     * A header key: the value (decoded) contains the string, or for an address field the address list written
     * out does. The folded texts come from the header block, which keeps them for the next search.
     */
    private boolean header(Message m, String field, String value) throws IOException {
        HeaderBlock h = m.headers();
        if (h == null) {
            return false;
        }
        HeaderBlock.SearchField f = fields.computeIfAbsent(field, name -> new HeaderBlock.SearchField(name,
                switch (name.toLowerCase(Locale.ROOT)) {
                    case "from", "to", "cc", "bcc", "sender", "reply-to" -> true;
                    default -> false;
                }));
        List<String> texts = h.searchable(f);
        if (value.isEmpty()) {
            return !texts.isEmpty();
        }
        String needle = needles.computeIfAbsent(value, SearchText::fold);
        for (String t : texts) {
            if (t.contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private boolean text(Message m, String value) throws IOException {
        SearchText.Needle needle = SearchText.Needle.of(value);
        for (HeaderText.Field f : m.fields()) {
            if (needle.in(HeaderText.decode(f.value())) || needle.in(f.name())) {
                return true;
            }
        }
        return needle.in(m.body()) || needle.in(m.partHeaders());
    }

    /** An AND with the keys answered from the state first, header keys next, body keys last. */
    static SearchKey cheapFirst(SearchKey key) {
        return switch (key) {
            case SearchKey.And a -> new SearchKey.And(a.keys().stream().map(Searcher::cheapFirst)
                    .sorted(java.util.Comparator.comparingInt(Searcher::cost)).toList());
            case SearchKey.Or o -> new SearchKey.Or(cheapFirst(o.left()), cheapFirst(o.right()));
            case SearchKey.Not n -> new SearchKey.Not(cheapFirst(n.key()));
            default -> key;
        };
    }

    private static int cost(SearchKey key) {
        return switch (key) {
            case SearchKey.Body b -> 3;
            case SearchKey.Text t -> 3;
            case SearchKey.Header h -> 2;
            case SearchKey.Date d -> d.field() == SearchKey.DateField.SENT ? 2 : 0;
            case SearchKey.Not n -> cost(n.key());
            case SearchKey.Or o -> Math.max(cost(o.left()), cost(o.right()));
            case SearchKey.And a -> a.keys().stream().mapToInt(Searcher::cost).max().orElse(0);
            default -> 0;
        };
    }

    /** Whether the key asks about MODSEQ (then the SEARCH response carries the highest one, RFC 7162 §3.1.5). */
    static boolean usesModseq(SearchKey key) {
        return switch (key) {
            case SearchKey.Modseq q -> true;
            case SearchKey.Not n -> usesModseq(n.key());
            case SearchKey.Or o -> usesModseq(o.left()) || usesModseq(o.right());
            case SearchKey.And a -> a.keys().stream().anyMatch(Searcher::usesModseq);
            default -> false;
        };
    }
}
