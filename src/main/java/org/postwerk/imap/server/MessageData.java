package org.postwerk.imap.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import org.postwerk.mailbox.Folder;
import org.postwerk.mime.HeaderBlock;
import org.postwerk.mime.MessageStructure;
import org.postwerk.mime.StructureCodec;

/**
 * What FETCH and SEARCH need of a message without reading its file again: its MIME structure and its header
 * block (CRLF form), kept in the folder's {@link org.postwerk.mailbox.MessageCache} once a message was parsed:
 * a varint length, the structure's bytes ({@link StructureCodec}), then the header's octets. The decoded form
 * (this object) is kept in memory too, shared by the folder's sessions; the structure is decoded only when a
 * FETCH or SEARCH item needs more than the header (HEADER.FIELDS and header keys do not).
 */
final class MessageData {
    /** Messages up to this size are read into memory once to parse them; larger ones are read twice. */
    private static final int IN_MEMORY = 1 << 20;
    /** The header block kept is cut here (a larger one is read from the file when a section needs it). */
    static final int MAX_HEADER = 16 << 20;

    private final HeaderBlock header;
    private final byte[] structureBytes; // null when made from a parsed structure
    private volatile MessageStructure structure;
    private Source source; // where to parse the message again when the cached structure is damaged

    /** The message a cache entry came from. */
    private record Source(Folder folder, long uid, long size) {
    }

    private MessageData(MessageStructure structure, byte[] structureBytes, byte[] header) {
        this.structure = structure;
        this.structureBytes = structureBytes;
        this.header = HeaderBlock.of(header);
    }

    MessageData(MessageStructure structure, byte[] header) {
        this(structure, null, header);
    }

    /** The data of a message, from memory, the cache or parsed now (and cached); empty when the message is gone. */
    static Optional<MessageData> of(Folder folder, long uid, long size) throws IOException {
        if (folder.cache().decoded(uid) instanceof MessageData kept) {
            return Optional.of(kept);
        }
        byte[] cached = folder.cache().get(uid);
        if (cached != null) {
            try {
                MessageData data = decode(cached);
                data.source = new Source(folder, uid, size);
                return Optional.of(keep(folder, uid, data));
            } catch (IllegalArgumentException e) {
                // damaged: parse again
            }
        }
        return parse(folder, uid, size);
    }

    /** The data parsed from the message's file (and cached); empty when the message is gone. */
    private static Optional<MessageData> parse(Folder folder, long uid, long size) throws IOException {
        Optional<InputStream> content = folder.content(uid);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        MessageStructure structure;
        byte[] header;
        if (size <= IN_MEMORY) {
            byte[] all;
            try (InputStream in = content.get()) {
                all = in.readAllBytes();
            }
            structure = MessageStructure.parse(new ByteArrayInputStream(all));
            header = Arrays.copyOf(all, (int) Math.min(all.length, structure.root().bodyStart()));
        } else {
            try (InputStream in = content.get()) {
                structure = MessageStructure.parse(in);
            }
            Optional<InputStream> again = folder.content(uid);
            if (again.isEmpty()) {
                return Optional.empty();
            }
            try (InputStream in = again.get()) {
                header = in.readNBytes((int) Math.min(structure.root().bodyStart(), MAX_HEADER));
            }
        }
        MessageData data = new MessageData(structure, header);
        byte[] encoded = data.encode();
        folder.cache().put(uid, encoded);
        return Optional.of(keep(folder, uid, data, encoded.length));
    }

    private static MessageData keep(Folder folder, long uid, MessageData data) {
        return keep(folder, uid, data, data.structureBytes.length);
    }

    /** A decoded structure takes several times the bytes of its encoded form: counted as three times. */
    private static MessageData keep(Folder folder, long uid, MessageData data, int structureBytes) {
        folder.cache().decoded(uid, data, data.header.footprint() + 3 * structureBytes + 64);
        return data;
    }

    /** The header block (a HEADER.FIELDS section, SEARCH's header keys) without the structure. */
    HeaderBlock headers() {
        return header;
    }

    byte[] header() {
        return header.octets();
    }

    /** Whether {@link #header()} is the whole header block (not cut at {@link #MAX_HEADER}). */
    boolean wholeHeader() {
        return header.octets().length < MAX_HEADER;
    }

    MessageStructure structure() throws IOException {
        MessageStructure s = structure;
        if (s == null) {
            try {
                s = StructureCodec.decode(structureBytes);
            } catch (IllegalArgumentException e) { // damaged, or of an older version: parse the message again
                Source from = source;
                s = parse(from.folder, from.uid, from.size)
                        .orElseThrow(() -> new IOException("message " + from.uid + " is gone")).structure();
            }
            structure = s;
        }
        return s;
    }

    byte[] encode() {
        byte[] s = structureBytes != null ? structureBytes : StructureCodec.encode(structure);
        byte[] h = header.octets();
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + h.length + 5);
        int n = s.length;
        while (n >= 0x80) {
            out.write((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(s);
        out.writeBytes(h);
        return out.toByteArray();
    }

    /**
     * The data in a cache entry; the structure is decoded on first use. Throws IllegalArgumentException for a
     * damaged entry (the structure's damage shows only when it is decoded, as an IllegalArgumentException too).
     */
    static MessageData decode(byte[] b) {
        int n = 0;
        int shift = 0;
        int i = 0;
        while (true) {
            if (i >= b.length || shift > 28) {
                throw new IllegalArgumentException("bad cache entry");
            }
            int c = b[i++] & 0xff;
            n |= (c & 0x7f) << shift;
            if (c < 0x80) {
                break;
            }
            shift += 7;
        }
        if (n < 0 || i + n > b.length) {
            throw new IllegalArgumentException("bad cache entry");
        }
        return new MessageData(null, Arrays.copyOfRange(b, i, i + n), Arrays.copyOfRange(b, i + n, b.length));
    }
}
