package org.postwerk.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over a message that builds its part tree with octet offsets (RFC 2045, RFC 2046), with bounded memory
 * and time. A body part ends at a boundary line of any enclosing multipart (the innermost is tried first), so a
 * missing close delimiter or a truncated message still yields a tree. Like Dovecot, a line that starts with
 * "--" and a boundary is a boundary line whatever follows (RFC 2046 §5.1.1 allows only transport padding, but
 * senders put more there, and the Dovecot comparison of the IMAP interop test expects the same parts). Beyond {@link Limits#maxDepth} nesting or {@link Limits#maxParts} parts,
 * a multipart or message/rfc822 is treated as an opaque leaf, as Dovecot does, so BODYSTRUCTURE stays bounded.
 *
 * <p>We scan lines ourselves rather than use mime4j's token stream: it reports no octet offsets, and FETCH of a
 * section must read exactly its octets from the cached offsets without parsing again. mime4j parses the field
 * values ({@link ContentFields}).
 */
final class MimeParser {
    /** @param maxDepth nesting of multiparts and messages; @param maxParts parts in one message;
     *  @param maxFieldValue octets kept of one header field's value */
    record Limits(int maxDepth, int maxParts, int maxFieldValue) {
        static final Limits DEFAULT = new Limits(50, 10_000, 64 * 1024);
    }

    private final LineReader r;
    private final Limits limits;
    /** Boundaries of the enclosing multiparts, outermost first, as the octets "--" + boundary. */
    private final List<byte[]> boundaries = new ArrayList<>();
    private int parts;
    /** The current line was read but not consumed: it ends the entity being parsed (a boundary line). */
    private boolean pending;
    private boolean atEof;
    /** Line terminators read so far, and the terminator of the line before the current one. */
    private long lines;
    private int previousEol;
    /** Whether the current / the previous line was body content (not a header line, not a boundary line). */
    private boolean lineIsContent;
    private boolean previousIsContent;

    MimeParser(InputStream in, Limits limits) {
        this.r = new LineReader(in);
        this.limits = limits;
    }

    MessageStructure parse() throws IOException {
        return message(0, 0);
    }

    private MessageStructure message(long start, int depth) throws IOException {
        HeaderCollector header = new HeaderCollector(true, limits.maxFieldValue());
        Part root = entity(start, header, false, depth);
        return new MessageStructure(header.envelope(), root);
    }

    /** Parses one entity starting at {@code start}: its header, then its body by content type. */
    private Part entity(long start, HeaderCollector header, boolean digestChild, int depth) throws IOException {
        parts++;
        long bodyStart = header(header);
        ContentInfo content = ContentFields.parse(header, digestChild);
        long linesAtBody = lines;
        if (bodyStart < 0) {
            // The header ran into a boundary or the end: no body (RFC 9051 still wants a size, 0). The CRLF
            // before the boundary is not part of the header (HEADER and MIME end before it, as in Dovecot), but
            // an enclosing message/rfc822 part keeps it in its size, as Dovecot counts it.
            long end = pending ? Math.max(start, r.start - previousEol) : r.next();
            return new Part(start, end, end, 0, content, content.isMultipart() ? emptyMultipart(end) : Part.Leaf.INSTANCE);
        }
        boolean room = depth < limits.maxDepth() && parts < limits.maxParts();
        String boundary = content.isMultipart() ? content.param("boundary") : null;
        Part.Body body;
        if (room && boundary != null && !boundary.isEmpty()) {
            body = multipart(boundary, "digest".equals(content.effectiveSubtype()), depth);
        } else if (room && content.isMessage()) {
            // Parsed as a message even when (wrongly, RFC 2046 §5.2.1) base64-encoded, as Dovecot does: the
            // BODYSTRUCTURE of message/rfc822 needs an envelope and a body, even if they come out empty.
            body = new Part.Embedded(message(bodyStart, depth + 1));
        } else {
            skipToBoundary();
            body = content.isMultipart() ? new Part.Multipart(List.of()) : Part.Leaf.INSTANCE;
        }
        return finish(start, bodyStart, linesAtBody, content, body);
    }

    private Part finish(long start, long bodyStart, long linesAtBody, ContentInfo content, Part.Body body) {
        long end;
        long bodyLines = (pending ? lines - 1 : lines) - linesAtBody;
        if (pending && previousIsContent) {
            // RFC 2046 §5.1.1: the CRLF preceding the boundary line is part of the boundary. Only when it ends
            // a content line: after a close delimiter line or a header line Dovecot keeps it, and so do we (a
            // message/rfc822 part then ends just after its inner close delimiter).
            end = Math.max(bodyStart, r.start - previousEol);
            if (end > bodyStart && previousEol > 0) {
                bodyLines--;
            }
        } else if (pending) {
            end = r.start;
        } else {
            end = r.next();
        }
        if (body instanceof Part.Multipart mp && mp.parts().isEmpty()) {
            body = emptyMultipart(end);
        }
        return new Part(start, bodyStart, end, Math.max(0, bodyLines), content, body);
    }

    /** A multipart with no parts still needs one body in BODYSTRUCTURE (RFC 9051 body-type-mpart): Dovecot
     *  reports an empty text/plain part; so do we, placed at the end of the multipart's body. */
    private static Part.Multipart emptyMultipart(long at) {
        return new Part.Multipart(List.of(new Part(at, at, at, 0, ContentInfo.DEFAULT, Part.Leaf.INSTANCE)));
    }

    /** Reads the header; returns where the body starts, or -1 when a boundary or the end came first. */
    private long header(HeaderCollector header) throws IOException {
        r.keepTail(limits.maxFieldValue());
        try {
            while (nextLine()) {
                if (boundaryMatch() >= 0) {
                    pending = true;
                    header.finish();
                    return -1;
                }
                if (r.blank()) {
                    header.finish();
                    return r.next();
                }
                header.line(r);
            }
            header.finish();
            return -1;
        } finally {
            r.keepTail(0);
        }
    }

    private Part.Body multipart(String boundary, boolean digest, int depth) throws IOException {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        boundaries.add(delimiter);
        int own = boundaries.size() - 1;
        List<Part> children = new ArrayList<>();
        int match = skipToBoundary(); // the preamble
        while (match >= 0 && match >> 1 == own && (match & 1) == 0 && parts < limits.maxParts()) {
            pending = false;
            HeaderCollector header = new HeaderCollector(false, limits.maxFieldValue());
            children.add(entity(r.next(), header, digest, depth + 1));
            match = pending ? boundaryMatch() : -1;
        }
        if (match >= 0 && match >> 1 == own) {
            pending = false;
            skipToBoundaryOf(own); // the epilogue, or parts beyond the limit
        }
        boundaries.remove(own);
        return new Part.Multipart(children); // if empty, finish() adds the empty part
    }

    /** Skips lines up to a boundary of an enclosing multipart (left pending) or the end; returns the match. */
    private int skipToBoundary() throws IOException {
        while (nextLine()) {
            int m = boundaryMatch();
            if (m >= 0) {
                pending = true;
                return m;
            }
            lineIsContent = true;
        }
        return -1;
    }

    /** Skips the epilogue: lines up to a boundary of a multipart enclosing this one (index below {@code own}). */
    private void skipToBoundaryOf(int own) throws IOException {
        while (nextLine()) {
            int m = boundaryMatch();
            if (m >= 0 && m >> 1 < own) {
                pending = true;
                return;
            }
            lineIsContent = true;
        }
    }

    private boolean nextLine() throws IOException {
        if (pending) {
            pending = false;
            return true;
        }
        if (atEof) {
            return false;
        }
        previousEol = r.eol;
        previousIsContent = lineIsContent;
        lineIsContent = false;
        if (!r.read()) {
            atEof = true;
            return false;
        }
        if (r.eol > 0) {
            lines++;
        }
        return true;
    }

    /**
     * Whether the current line is a boundary of an enclosing multipart: -1, or (index << 1 | 1 if it is the close
     * delimiter). A boundary line starts with "--" boundary; "--" after it closes the multipart.
     */
    private int boundaryMatch() {
        byte[] p = r.prefix;
        int n = (int) Math.min(r.prefixLength, r.contentLength());
        if (n < 2 || p[0] != '-' || p[1] != '-') {
            return -1;
        }
        for (int k = boundaries.size() - 1; k >= 0; k--) {
            byte[] d = boundaries.get(k);
            if (n < d.length || !startsWith(p, d)) {
                continue;
            }
            int i = d.length;
            int close = i + 1 < n && p[i] == '-' && p[i + 1] == '-' ? 1 : 0;
            return k << 1 | close;
        }
        return -1;
    }

    private static boolean startsWith(byte[] line, byte[] d) {
        for (int i = 2; i < d.length; i++) {
            if (line[i] != d[i]) {
                return false;
            }
        }
        return true;
    }
}
