package org.postwerk.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact, versioned byte form of a {@link MessageStructure}, for the store to cache next to a message so
 * that FETCH ENVELOPE / BODYSTRUCTURE / BODY[section] need not parse it again. Layout (version 1): the octet
 * {@code 'S'}, the version, then the message: 11 envelope strings, then the root part. A part is its offsets as
 * unsigned varints (header start, header length, body length, body lines), the content fields, and a body tag (0
 * leaf, 1 multipart with a count of parts, 2 embedded message). A string is a varint of its UTF-8 length plus one
 * (0 for null). A typical message takes 150-400 octets. Decoding checks every count against the limits of the
 * parser, so a damaged cache entry is reported ({@link IllegalArgumentException}) and the caller parses again.
 */
public final class StructureCodec {
    static final int VERSION = 1;
    private static final int MAGIC = 'S';

    private StructureCodec() {
    }

    public static byte[] encode(MessageStructure m) {
        Out out = new Out();
        out.buf.write(MAGIC);
        out.buf.write(VERSION);
        message(out, m);
        return out.buf.toByteArray();
    }

    /** @throws IllegalArgumentException when the bytes are not a structure of this version */
    public static MessageStructure decode(byte[] bytes) {
        In in = new In(bytes);
        if (bytes.length < 2 || bytes[0] != MAGIC || bytes[1] != VERSION) {
            throw new IllegalArgumentException("not a version " + VERSION + " message structure");
        }
        in.pos = 2;
        MessageStructure m = message(in, 0);
        if (in.pos != bytes.length) {
            throw new IllegalArgumentException("trailing octets after the message structure");
        }
        return m;
    }

    private static void message(Out out, MessageStructure m) {
        Envelope e = m.envelope();
        for (String s : new String[] {e.date(), e.subject(), e.from(), e.sender(), e.replyTo(), e.to(), e.cc(),
                e.bcc(), e.inReplyTo(), e.messageId(), e.references()}) {
            out.string(s);
        }
        part(out, m.root());
    }

    private static void part(Out out, Part p) {
        out.varint(p.headerStart());
        out.varint(p.bodyStart() - p.headerStart());
        out.varint(p.bodyEnd() - p.bodyStart());
        out.varint(p.bodyLines());
        ContentInfo c = p.content();
        out.string(c.type());
        out.string(c.subtype());
        params(out, c.params());
        out.string(c.id());
        out.string(c.description());
        out.string(c.encoding());
        out.string(c.md5());
        out.string(c.disposition());
        params(out, c.dispositionParams());
        out.string(c.language());
        out.string(c.location());
        out.buf.write(c.digestChild() ? 1 : 0);
        switch (p.body()) {
            case Part.Leaf leaf -> out.buf.write(0);
            case Part.Multipart mp -> {
                out.buf.write(1);
                out.varint(mp.parts().size());
                mp.parts().forEach(child -> part(out, child));
            }
            case Part.Embedded em -> {
                out.buf.write(2);
                message(out, em.message());
            }
        }
    }

    private static void params(Out out, List<ContentInfo.Param> params) {
        out.varint(params.size());
        for (ContentInfo.Param p : params) {
            out.string(p.name());
            out.string(p.value());
        }
    }

    private static MessageStructure message(In in, int depth) {
        if (depth > MimeParser.Limits.DEFAULT.maxDepth() + 1) {
            throw new IllegalArgumentException("structure nested too deeply");
        }
        Envelope e = new Envelope(in.string(), in.string(), in.string(), in.string(), in.string(), in.string(),
                in.string(), in.string(), in.string(), in.string(), in.string());
        return new MessageStructure(e, part(in, depth));
    }

    private static Part part(In in, int depth) {
        if (depth > MimeParser.Limits.DEFAULT.maxDepth() + 1 || ++in.parts > MimeParser.Limits.DEFAULT.maxParts() + 1) {
            throw new IllegalArgumentException("structure too large");
        }
        long headerStart = in.varint();
        long bodyStart = headerStart + in.varint();
        long bodyEnd = bodyStart + in.varint();
        long lines = in.varint();
        ContentInfo c = new ContentInfo(in.string(), in.string(), params(in), in.string(), in.string(),
                in.string(), in.string(), in.string(), params(in), in.string(), in.string(), in.octet() == 1);
        if (c.type() != null && c.subtype() == null) {
            throw new IllegalArgumentException("type without subtype");
        }
        Part.Body body = switch (in.octet()) {
            case 0 -> Part.Leaf.INSTANCE;
            case 1 -> {
                int n = in.count(MimeParser.Limits.DEFAULT.maxParts() + 1);
                List<Part> parts = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    parts.add(part(in, depth + 1));
                }
                yield new Part.Multipart(parts);
            }
            case 2 -> new Part.Embedded(message(in, depth + 1));
            default -> throw new IllegalArgumentException("unknown body tag");
        };
        return new Part(headerStart, bodyStart, bodyEnd, lines, c, body);
    }

    private static List<ContentInfo.Param> params(In in) {
        int n = in.count(10_000);
        List<ContentInfo.Param> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = in.string();
            String value = in.string();
            if (name == null || value == null) {
                throw new IllegalArgumentException("null parameter");
            }
            params.add(new ContentInfo.Param(name, value));
        }
        return params;
    }

    private static final class Out {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream(256);

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                buf.write((int) (v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf.write((int) v);
        }

        void string(String s) {
            if (s == null) {
                varint(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length + 1L);
            buf.writeBytes(b);
        }
    }

    private static final class In {
        final byte[] b;
        int pos;
        int parts;

        In(byte[] b) {
            this.b = b;
        }

        int octet() {
            if (pos >= b.length) {
                throw new IllegalArgumentException("truncated message structure");
            }
            return b[pos++] & 0xFF;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                int x = octet();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            throw new IllegalArgumentException("bad varint");
        }

        int count(int max) {
            long n = varint();
            if (n > max) {
                throw new IllegalArgumentException("count out of range");
            }
            return (int) n;
        }

        String string() {
            long n = varint();
            if (n == 0) {
                return null;
            }
            if (n - 1 > b.length - pos) {
                throw new IllegalArgumentException("truncated string");
            }
            String s = new String(b, pos, (int) (n - 1), StandardCharsets.UTF_8);
            pos += (int) (n - 1);
            return s;
        }
    }
}
