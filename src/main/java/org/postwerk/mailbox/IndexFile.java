package org.postwerk.mailbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The snapshot of one folder's index as a file ({@code postwerk.index}, ADR 0012): big-endian, magic
 * {@code PWIX}, a version byte, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ, the keyword table, the expunge log, the
 * messages (UID, MODSEQ, flag bits, keyword bits, INTERNALDATE, size, locator) and a CRC32C of all before
 * it. A damaged file is an I/O error: the folder is then rebuilt from its files.
 */
public final class IndexFile {
    private static final int MAGIC = 0x50574958; // "PWIX"
    private static final int VERSION = 1;

    private IndexFile() {}

    public static void write(Snapshot s, OutputStream target) throws IOException {
        CRC32C crc = new CRC32C();
        DataOutputStream out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(target, 65536), crc));
        out.writeInt(MAGIC);
        out.writeByte(VERSION);
        out.writeLong(s.uidValidity());
        out.writeLong(s.uidNext());
        out.writeLong(s.highestModseq());
        out.writeShort(s.keywords().size());
        for (String k : s.keywords()) {
            out.writeUTF(k);
        }
        ExpungeLog log = s.expunged();
        out.writeLong(log.floor());
        out.writeInt(log.entries().size());
        for (ExpungeLog.Entry e : log.entries()) {
            out.writeLong(e.modseq());
            out.writeInt(e.uids().length);
            for (long uid : e.uids()) {
                out.writeLong(uid);
            }
        }
        out.writeInt(s.count());
        for (int i = 0; i < s.count(); i++) {
            out.writeLong(s.uid(i));
            out.writeLong(s.modseq(i));
            out.writeByte(s.flagBits(i));
            out.writeLong(s.keywordBits(i));
            out.writeLong(s.internalDate(i));
            out.writeLong(s.size(i));
            out.writeUTF(s.locator(i));
        }
        out.flush();
        new DataOutputStream(target).writeInt((int) crc.getValue());
        target.flush();
    }

    public static Snapshot read(InputStream source) throws IOException {
        CRC32C crc = new CRC32C();
        BufferedInputStream buffered = new BufferedInputStream(source, 65536);
        DataInputStream in = new DataInputStream(new CheckedInputStream(buffered, crc));
        if (in.readInt() != MAGIC || in.readUnsignedByte() != VERSION) {
            throw new IOException("not a Postwerk index of version " + VERSION);
        }
        long uidValidity = in.readLong();
        long uidNext = in.readLong();
        long highestModseq = in.readLong();
        int nk = in.readUnsignedShort();
        if (nk > Snapshot.MAX_KEYWORDS) {
            throw new IOException("too many keywords: " + nk);
        }
        List<String> keywords = new ArrayList<>(nk);
        for (int i = 0; i < nk; i++) {
            keywords.add(in.readUTF());
        }
        long floor = in.readLong();
        int ne = count(in.readInt());
        List<ExpungeLog.Entry> entries = new ArrayList<>(Math.min(ne, 1024));
        for (int i = 0; i < ne; i++) {
            long modseq = in.readLong();
            long[] uids = new long[count(in.readInt())];
            for (int j = 0; j < uids.length; j++) {
                uids[j] = in.readLong();
            }
            entries.add(new ExpungeLog.Entry(modseq, uids));
        }
        int n = count(in.readInt());
        List<Snapshot.Stored> messages = new ArrayList<>(Math.min(n, 1 << 16));
        for (int i = 0; i < n; i++) {
            messages.add(new Snapshot.Stored(in.readLong(), in.readLong(), in.readUnsignedByte(), in.readLong(),
                    in.readLong(), in.readLong(), in.readUTF()));
        }
        int expected = (int) crc.getValue();
        if (new DataInputStream(buffered).readInt() != expected) {
            throw new IOException("index checksum mismatch");
        }
        try {
            return Snapshot.of(uidValidity, uidNext, highestModseq, keywords, messages, new ExpungeLog(entries, floor));
        } catch (IllegalArgumentException e) {
            throw new IOException("inconsistent index: " + e.getMessage(), e);
        }
    }

    private static int count(int n) throws IOException {
        if (n < 0 || n > 50_000_000) {
            throw new IOException("bad count " + n);
        }
        return n;
    }
}
