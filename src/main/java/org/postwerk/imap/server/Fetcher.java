package org.postwerk.imap.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.postwerk.imap.FetchItem;
import org.postwerk.imap.ImapDates;
import org.postwerk.imap.ImapWriter;
import org.postwerk.imap.Section;
import org.postwerk.mailbox.Snapshot;
import org.postwerk.mime.Binary;
import org.postwerk.mime.HeaderBlock;
import org.postwerk.mime.ImapFormat;
import org.postwerk.mime.Sections;

/**
 * Writes the FETCH response of one message (RFC 9051 §7.5.2): attributes from the folder's state, ENVELOPE and
 * BODYSTRUCTURE from the cached structure, header sections from the cached header block, and other sections
 * streamed from the message file as literals, so a large message never sits in memory whole.
 */
final class Fetcher {
    /** Literals larger than this are streamed from the file rather than built in memory. */
    private static final int STREAM_ABOVE = 64 * 1024;

    private final ImapSession session;
    private final Selection sel;
    private final Selection.Options options;
    /** What each section item of this command needs on every message, worked out once per command. */
    private final java.util.Map<FetchItem, Prepared> prepared = new java.util.IdentityHashMap<>();
    /** The buffer each message's response is built in, one after the other. */
    private final ByteArrayOutputStream responseBuffer = new ByteArrayOutputStream(512);

    Fetcher(ImapSession session, Selection sel) {
        this.session = session;
        this.sel = sel;
        this.options = session.options();
    }

    /**
     * A section item's response name in octets, its section in MIME terms and, for HEADER.FIELDS(.NOT) of the
     * message's own header (no part path), the field names to filter with: that section comes from the cached
     * header block alone, without the message's structure.
     */
    private record Prepared(byte[] name, org.postwerk.mime.Section section, HeaderBlock.Names topFields) {
        static Prepared of(String name, Section section) {
            HeaderBlock.Names top = section != null && section.part().isEmpty()
                    && (section.kind() == Section.Kind.HEADER_FIELDS || section.kind() == Section.Kind.HEADER_FIELDS_NOT)
                    ? HeaderBlock.Names.of(section.fields()) : null;
            return new Prepared(name.getBytes(StandardCharsets.US_ASCII), section == null ? null : toMime(section), top);
        }
    }

    private Prepared prepared(FetchItem item) {
        return prepared.computeIfAbsent(item, i -> switch (i) {
            case FetchItem.BodySection b -> Prepared.of(b.responseName(), b.section());
            case FetchItem.Binary b -> Prepared.of(b.responseName(), null);
            case FetchItem.BinarySize b -> Prepared.of(b.responseName(), null);
            case FetchItem.Simple s -> throw new IllegalArgumentException(s.toString());
        });
    }

    /** Thrown when a BINARY item meets an encoding it cannot undo: the command fails with UNKNOWN-CTE. */
    static final class UnknownEncoding extends Exception {
        UnknownEncoding(String encoding) {
            super(encoding);
        }
    }

    /**
     * Writes {@code * seq FETCH (...)} for the message with this UID; false when the message is gone (its
     * file was expunged by another session meanwhile).
     */
    boolean fetch(long uid, List<FetchItem> items, boolean withUid, boolean withFlags, boolean withModseq)
            throws IOException, UnknownEncoding {
        Snapshot seen = sel.seen();
        int seq = seen.indexOf(uid);
        Snapshot now = sel.folder.state().current();
        int i = now.indexOf(uid);
        if (seq < 0) {
            return true;
        }
        Response r = new Response();
        r.w.number(seq + 1).atom("FETCH").open();
        if (withUid) {
            r.w.atom("UID").number(uid);
        }
        boolean flagsDone = false;
        boolean modseqDone = false;
        MessageData data = null;
        long size = i >= 0 ? now.size(i) : seen.size(seq);
        for (FetchItem item : items) {
            switch (item) {
                case FetchItem.Simple s -> {
                    switch (s.attribute()) {
                        case UID -> {
                            if (!withUid) {
                                r.w.atom("UID").number(uid);
                            }
                        }
                        case FLAGS -> {
                            flags(r.w, now, i, seen, seq);
                            flagsDone = true;
                        }
                        case MODSEQ -> {
                            r.w.atom("MODSEQ").open().number(i >= 0 ? now.modseq(i) : seen.modseq(seq)).close();
                            modseqDone = true;
                        }
                        case INTERNALDATE -> r.w.atom("INTERNALDATE").string(ImapDates.formatDateTime(
                                Instant.ofEpochMilli(seen.internalDate(seq)).atZone(ZoneId.systemDefault())
                                        .toOffsetDateTime()));
                        case RFC822_SIZE -> r.w.atom("RFC822.SIZE").number(size);
                        case ENVELOPE, BODY, BODYSTRUCTURE, RFC822, RFC822_HEADER, RFC822_TEXT -> {
                            data = data != null ? data : load(uid, size);
                            if (data == null) {
                                return false;
                            }
                            attribute(r, s.attribute(), data, uid);
                        }
                    }
                }
                case FetchItem.BodySection b -> {
                    data = data != null ? data : load(uid, size);
                    if (data == null) {
                        return false;
                    }
                    Prepared p = prepared(b);
                    r.w.atom(p.name());
                    if (p.topFields() != null && data.wholeHeader()) {
                        boolean not = b.section().kind() == Section.Kind.HEADER_FIELDS_NOT;
                        r.w.literal(cut(data.headers().filter(p.topFields(), not), b.partial()));
                    } else {
                        section(r, data, uid, p.section(), b.partial());
                    }
                }
                case FetchItem.Binary b -> {
                    data = data != null ? data : load(uid, size);
                    if (data == null) {
                        return false;
                    }
                    r.w.atom(prepared(b).name());
                    binary(r, data, uid, b.part(), b.partial());
                }
                case FetchItem.BinarySize b -> {
                    data = data != null ? data : load(uid, size);
                    if (data == null) {
                        return false;
                    }
                    r.w.atom(prepared(b).name()).number(binarySize(data, uid, b.part()));
                }
            }
        }
        if (withFlags && !flagsDone) {
            flags(r.w, now, i, seen, seq);
        }
        if (withModseq && !modseqDone) {
            r.w.atom("MODSEQ").open().number(i >= 0 ? now.modseq(i) : seen.modseq(seq)).close();
        }
        r.w.close();
        r.finish();
        return true;
    }

    private void flags(ImapWriter w, Snapshot now, int i, Snapshot seen, int seq) {
        w.atom("FLAGS");
        if (i >= 0) {
            sel.flags(w, now, i, options);
        } else {
            sel.flags(w, seen, seq, options);
        }
    }

    private MessageData load(long uid, long size) throws IOException {
        return MessageData.of(sel.folder, uid, size).orElse(null);
    }

    private void attribute(Response r, FetchItem.Attribute a, MessageData data, long uid) throws IOException {
        switch (a) {
            case ENVELOPE -> {
                r.w.atom("ENVELOPE");
                ImapFormat.envelope(r.w, data.structure().envelope());
            }
            case BODY -> {
                r.w.atom("BODY");
                ImapFormat.body(r.w, data.structure().root(), false);
            }
            case BODYSTRUCTURE -> {
                r.w.atom("BODYSTRUCTURE");
                ImapFormat.body(r.w, data.structure().root(), true);
            }
            case RFC822 -> {
                r.w.atom("RFC822");
                section(r, data, uid, org.postwerk.mime.Section.whole(), Optional.empty());
            }
            case RFC822_HEADER -> {
                r.w.atom("RFC822.HEADER");
                section(r, data, uid, org.postwerk.mime.Section.of(org.postwerk.mime.Section.Kind.HEADER),
                        Optional.empty());
            }
            case RFC822_TEXT -> {
                r.w.atom("RFC822.TEXT");
                section(r, data, uid, org.postwerk.mime.Section.of(org.postwerk.mime.Section.Kind.TEXT),
                        Optional.empty());
            }
            default -> throw new IllegalArgumentException(a.toString());
        }
    }

    static org.postwerk.mime.Section toMime(Section s) {
        return new org.postwerk.mime.Section(s.part(), org.postwerk.mime.Section.Kind.valueOf(s.kind().name()),
                s.fields());
    }

    private void section(Response r, MessageData data, long uid, org.postwerk.mime.Section section,
                         Optional<FetchItem.Partial> partial) throws IOException {
        Sections.Located located = Sections.locate(data.structure(), section);
        switch (located) {
            case Sections.Missing m -> r.w.string("");
            case Sections.HeaderFields h -> {
                byte[] header = read(data, uid, h.header());
                byte[] filtered = Sections.filterHeader(header, h.names(), h.not());
                r.w.literal(cut(filtered, partial));
            }
            case Sections.Range range -> {
                Sections.Range cut = partial.map(p -> range.partial(p.offset(), p.length())).orElse(range);
                if (cut.end() <= data.header().length || cut.length() <= STREAM_ABOVE) {
                    r.w.literal(read(data, uid, cut));
                } else {
                    r.stream(uid, cut);
                }
            }
        }
    }

    private static byte[] cut(byte[] b, Optional<FetchItem.Partial> partial) {
        if (partial.isEmpty()) {
            return b;
        }
        long from = Math.min(b.length, partial.get().offset());
        long to = Math.min(b.length, from + partial.get().length());
        return java.util.Arrays.copyOfRange(b, (int) from, (int) to);
    }

    /** Octets [start, end) of the message: from the cached header when they lie in it, else from the file. */
    private byte[] read(MessageData data, long uid, Sections.Range range) throws IOException {
        if (range.end() <= data.header().length) {
            return java.util.Arrays.copyOfRange(data.header(), (int) range.start(), (int) range.end());
        }
        try (InputStream in = open(uid, range)) {
            return in.readNBytes((int) range.length());
        }
    }

    private InputStream open(long uid, Sections.Range range) throws IOException {
        InputStream in = sel.folder.content(uid).orElseThrow(() -> new IOException("message " + uid + " is gone"));
        in.skipNBytes(range.start());
        return in;
    }

    private void binary(Response r, MessageData data, long uid, List<Integer> part,
                        Optional<FetchItem.Partial> partial) throws IOException, UnknownEncoding {
        Binary.Target t = Binary.locate(data.structure(), part);
        switch (t) {
            case Binary.Missing m -> r.w.nil();
            case Binary.Unknown u -> throw new UnknownEncoding(u.encoding());
            case Binary.Content c -> {
                ByteArrayOutputStream decoded = new ByteArrayOutputStream();
                try (InputStream in = open(uid, c.range())) {
                    Binary.copy(new BoundedInput(in, c.range().length()), c.encoding(), decoded);
                }
                byte[] b = cut(decoded.toByteArray(), partial);
                boolean nul = false;
                for (byte x : b) {
                    nul |= x == 0;
                }
                if (nul) {
                    r.w.raw(" ~");
                    r.w.glue().literal(b); // literal8 (RFC 3516 §4.2) for octets with NUL
                } else {
                    r.w.literal(b);
                }
            }
        }
    }

    private long binarySize(MessageData data, long uid, List<Integer> part) throws IOException, UnknownEncoding {
        Binary.Target t = Binary.locate(data.structure(), part);
        return switch (t) {
            case Binary.Missing m -> 0;
            case Binary.Unknown u -> throw new UnknownEncoding(u.encoding());
            case Binary.Content c -> {
                if (c.encoding() == null) {
                    yield c.range().length();
                }
                try (InputStream in = open(uid, c.range())) {
                    yield Binary.copy(new BoundedInput(in, c.range().length()), c.encoding(), OutputStream.nullOutputStream());
                }
            }
        };
    }

    /** One FETCH response: built in memory, except large literals streamed from the file in place. */
    private final class Response {
        final ByteArrayOutputStream buf = responseBuffer;
        final ImapWriter w = new ImapWriter(buf, options.utf8());
        private boolean started;

        Response() {
            buf.reset();
        }

        /** Writes what was built, then the range as a literal straight from the file. */
        void stream(long uid, Sections.Range range) throws IOException {
            ImapOutput out = session.out();
            out.lock();
            try {
                begin(out);
                byte[] head = (" {" + range.length() + "}\r\n").getBytes(StandardCharsets.US_ASCII);
                out.raw(head, 0, head.length);
                try (InputStream in = open(uid, range)) {
                    byte[] chunk = new byte[64 * 1024];
                    long left = range.length();
                    while (left > 0) {
                        int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
                        if (n < 0) {
                            break;
                        }
                        out.raw(chunk, 0, n);
                        left -= n;
                    }
                    while (left > 0) { // the file shrank under us: keep the literal's promised length
                        int n = (int) Math.min(chunk.length, left);
                        java.util.Arrays.fill(chunk, 0, n, (byte) ' ');
                        out.raw(chunk, 0, n);
                        left -= n;
                    }
                }
            } finally {
                out.unlock();
            }
        }

        private void begin(ImapOutput out) throws IOException {
            if (!started) {
                out.raw(new byte[] {'*', ' '}, 0, 2);
                started = true;
            }
            out.raw(buf);
            buf.reset();
        }

        void finish() throws IOException {
            ImapOutput out = session.out();
            out.lock();
            try {
                begin(out);
                out.raw(new byte[] {'\r', '\n'}, 0, 2);
            } finally {
                out.unlock();
            }
        }
    }

    /** At most {@code limit} octets of a stream (a part's range). */
    private static final class BoundedInput extends java.io.FilterInputStream {
        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int c = super.read();
            if (c >= 0) {
                left--;
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
