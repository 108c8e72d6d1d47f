package org.postwerk.imap.server;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Optional;
import org.postwerk.mailbox.Folder;
import org.postwerk.mime.MessageStructure;
import org.postwerk.mime.StructureCodec;

/**
 * What FETCH and SEARCH need of a message without reading its file again: its MIME structure and its header
 * block (CRLF form), kept in the folder's {@link org.postwerk.mailbox.MessageCache} once a message was parsed:
 * a varint length, the structure's bytes ({@link StructureCodec}), then the header's octets.
 */
record MessageData(MessageStructure structure, byte[] header) {
    /** Messages up to this size are read into memory once to parse them; larger ones are read twice. */
    private static final int IN_MEMORY = 1 << 20;

    /** The data of a message, from the cache or parsed now (and cached); empty when the message is gone. */
    static Optional<MessageData> of(Folder folder, long uid, long size) throws IOException {
        byte[] cached = folder.cache().get(uid);
        if (cached != null) {
            try {
                return Optional.of(decode(cached));
            } catch (IllegalArgumentException e) {
                // damaged or of an older version: parse again
            }
        }
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
                header = in.readNBytes((int) Math.min(structure.root().bodyStart(), 16 << 20));
            }
        }
        MessageData data = new MessageData(structure, header);
        folder.cache().put(uid, data.encode());
        return Optional.of(data);
    }

    byte[] encode() {
        byte[] s = StructureCodec.encode(structure);
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length + header.length + 5);
        int n = s.length;
        while (n >= 0x80) {
            out.write((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out.write(n);
        out.writeBytes(s);
        out.writeBytes(header);
        return out.toByteArray();
    }

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
        MessageStructure s = StructureCodec.decode(Arrays.copyOfRange(b, i, i + n));
        return new MessageData(s, Arrays.copyOfRange(b, i + n, b.length));
    }
}
