package org.postwerk.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * A record in a segment: {@code magic(4) length(4) crc32c(4) type(1) payload}, big-endian, the length counting
 * type and payload, the CRC over both. A reader stops at the first record that is torn (a batch never
 * acknowledged), damaged, or zero (the zero-filled space ahead of the records: no record has a zero magic).
 */
final class RecordCodec {
    static final int HEADER = 13;
    private static final int MAGIC = 0x50574a31; // "PWJ1"
    private static final int MAX_RECORD = Integer.MAX_VALUE - 64;

    private RecordCodec() {}

    /** The record as buffers to write: its header, then (duplicates of) the parts of the payload. */
    static ByteBuffer[] encode(RecordType type, ByteBuffer[] parts) throws IOException {
        long length = 1;
        CRC32C crc = new CRC32C();
        crc.update(type.code);
        for (ByteBuffer p : parts) {
            length += p.remaining();
            crc.update(p.duplicate());
        }
        if (length > MAX_RECORD) {
            throw new IOException("journal record too large: " + length + " bytes");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        header.putInt(MAGIC).putInt((int) length).putInt((int) crc.getValue()).put(type.code).flip();
        ByteBuffer[] all = new ByteBuffer[parts.length + 1];
        all[0] = header;
        for (int i = 0; i < parts.length; i++) {
            all[i + 1] = parts[i].duplicate();
        }
        return all;
    }

    /** Bytes of an encoded record. */
    static long size(ByteBuffer[] record) {
        return HEADER - 1 + record[0].getInt(4);
    }

    /**
     * The next whole record, or null at the end or at a torn or damaged one. A record of a type no version
     * writes comes back with a null type: skipped by the caller, not an end.
     */
    static Entry read(InputStream in) throws IOException {
        byte[] h = in.readNBytes(HEADER);
        if (h.length < HEADER) {
            return null;
        }
        ByteBuffer hb = ByteBuffer.wrap(h);
        int magic = hb.getInt();
        int length = hb.getInt();
        int crc = hb.getInt();
        byte type = hb.get();
        if (magic != MAGIC || length < 1) {
            return null;
        }
        byte[] payload = in.readNBytes(length - 1);
        if (payload.length < length - 1) {
            return null;
        }
        CRC32C c = new CRC32C();
        c.update(type);
        c.update(payload);
        if ((int) c.getValue() != crc) {
            return null;
        }
        return new Entry(RecordType.of(type), payload);
    }
}
