package org.postwerk.mailbox;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The journal payload of one folder operation: the changes it made to each folder, in a form a replay can
 * apply to a folder's index again. Big-endian: count, then per change: folder name, UIDVALIDITY, kind, MODSEQ
 * and the kind's fields; strings are length-prefixed UTF-8 ({@link DataOutputStream#writeUTF}).
 */
public final class ChangeCodec {
    private static final byte ADDED = 1;
    private static final byte FLAGS = 2;
    private static final byte EXPUNGED = 3;

    private ChangeCodec() {}

    public static byte[] encode(List<ChangeLog.FolderChange> changes) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 64 * changes.size());
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(changes.size());
            for (ChangeLog.FolderChange fc : changes) {
                out.writeUTF(fc.folder());
                out.writeLong(fc.uidValidity());
                write(out, fc.change());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a byte array does not fail
        }
    }

    private static void write(DataOutputStream out, Change change) throws IOException {
        switch (change) {
            case Change.Added a -> {
                out.writeByte(ADDED);
                out.writeLong(a.modseq());
                out.writeUTF(a.from() == null ? "" : a.from());
                out.writeInt(a.messages().size());
                for (Change.Entry e : a.messages()) {
                    out.writeLong(e.uid());
                    out.writeUTF(e.locator());
                    flags(out, e.flags());
                    out.writeLong(e.internalDate());
                    out.writeLong(e.size());
                    out.writeUTF(e.origin() == null ? "" : e.origin());
                }
            }
            case Change.FlagsSet f -> {
                out.writeByte(FLAGS);
                out.writeLong(f.modseq());
                out.writeInt(f.updates().size());
                for (Change.FlagUpdate u : f.updates()) {
                    out.writeLong(u.uid());
                    out.writeUTF(u.locator());
                    flags(out, u.before());
                    flags(out, u.after());
                }
            }
            case Change.Expunged e -> {
                out.writeByte(EXPUNGED);
                out.writeLong(e.modseq());
                out.writeInt(e.uids().length);
                for (int i = 0; i < e.uids().length; i++) {
                    out.writeLong(e.uids()[i]);
                    out.writeUTF(e.locators().get(i));
                }
            }
        }
    }

    public static List<ChangeLog.FolderChange> decode(ByteBuffer payload) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload.array(),
                payload.arrayOffset() + payload.position(), payload.remaining()));
        int n = in.readUnsignedShort();
        List<ChangeLog.FolderChange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String folder = in.readUTF();
            long uidValidity = in.readLong();
            out.add(new ChangeLog.FolderChange(folder, uidValidity, read(in)));
        }
        return out;
    }

    private static Change read(DataInputStream in) throws IOException {
        byte kind = in.readByte();
        long modseq = in.readLong();
        String from = kind == ADDED ? in.readUTF() : "";
        int n = in.readInt();
        if (n < 0 || n > 10_000_000) {
            throw new IOException("bad change count " + n);
        }
        switch (kind) {
            case ADDED -> {
                List<Change.Entry> entries = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    Change.Entry e = new Change.Entry(in.readLong(), in.readUTF(), flags(in), in.readLong(), in.readLong());
                    String origin = in.readUTF();
                    entries.add(origin.isEmpty() ? e : new Change.Entry(e.uid(), e.locator(), e.flags(),
                            e.internalDate(), e.size(), origin));
                }
                return new Change.Added(modseq, entries, from.isEmpty() ? null : from);
            }
            case FLAGS -> {
                List<Change.FlagUpdate> updates = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    updates.add(new Change.FlagUpdate(in.readLong(), in.readUTF(), flags(in), flags(in)));
                }
                return new Change.FlagsSet(modseq, updates);
            }
            case EXPUNGED -> {
                long[] uids = new long[n];
                List<String> locators = new ArrayList<>(Math.min(n, 1024));
                for (int i = 0; i < n; i++) {
                    uids[i] = in.readLong();
                    locators.add(in.readUTF());
                }
                return new Change.Expunged(modseq, uids, locators);
            }
            default -> throw new IOException("unknown change kind " + kind);
        }
    }

    private static void flags(DataOutputStream out, Flags f) throws IOException {
        out.writeByte(f.systemBits());
        out.writeShort(f.keywords().size());
        for (String k : f.keywords()) {
            out.writeUTF(k);
        }
    }

    private static Flags flags(DataInputStream in) throws IOException {
        int bits = in.readUnsignedByte();
        int n = in.readUnsignedShort();
        List<String> k = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            k.add(in.readUTF());
        }
        return new Flags(Flags.fromBits(bits), Set.copyOf(k));
    }
}
