package org.postwerk.testkit;

/** Byte-array edits for fuzz tests. */
public final class Bytes {
    private Bytes() {}

    /** {@code b} with the octets from {@code from} to {@code to} replaced by {@code insert}. */
    public static byte[] splice(byte[] b, int from, int to, byte[] insert) {
        byte[] r = new byte[b.length - (to - from) + insert.length];
        System.arraycopy(b, 0, r, 0, from);
        System.arraycopy(insert, 0, r, from, insert.length);
        System.arraycopy(b, to, r, from + insert.length, b.length - to);
        return r;
    }
}
