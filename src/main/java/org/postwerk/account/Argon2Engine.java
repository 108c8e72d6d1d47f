package org.postwerk.account;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id, version 0x13 (RFC 9106), with its memory outside the Java heap.
 *
 * <p>Why not Bouncy Castle's Argon2BytesGenerator, which this replaces (and which the tests keep as the oracle):
 * it keeps its 19 MiB of 1 KiB blocks on the heap. Kept between hashes they stayed live for good, and the old
 * generation grew by about twice that to hold them with its free ratio; made per hash, the blocks outlive many
 * young collections during the hash and land in the old generation all the same. Either way a server that had
 * checked one password kept some 45 MB more (measured under bench/ S1, issue 12). Here the memory is one native
 * buffer per hash, freed as soon as the hash is done ({@link NativeBuffer}). Blake2b is still Bouncy Castle's.
 *
 * <p>The fill follows the RFC's reference order: slices one after another, lanes in turn within a slice (lanes of
 * one slice never read each other's current segment, so this gives the same result as running them at once).
 */
final class Argon2Engine {
    private static final int BLOCK_LONGS = 128;
    private static final int BLOCK_BYTES = 1024;
    private static final int SYNC_POINTS = 4;
    private static final int VERSION = 0x13;
    private static final int TYPE_ID = 2;

    private final int lanes;
    private final int passes;
    private final int laneLength;
    private final int segmentLength;
    private final int blocks;
    private final NativeBuffer raw;
    private final LongBuffer memory;
    // Working blocks: the previous block, the reference block, and the two halves of the compression.
    private final long[] prev = new long[BLOCK_LONGS];
    private final long[] ref = new long[BLOCK_LONGS];
    private final long[] r = new long[BLOCK_LONGS];
    private final long[] z = new long[BLOCK_LONGS];
    private final long[] address = new long[BLOCK_LONGS];
    private final long[] input = new long[BLOCK_LONGS];
    private final long[] zero = new long[BLOCK_LONGS];

    private Argon2Engine(int memoryKib, int passes, int lanes) {
        this.lanes = lanes;
        this.passes = passes;
        int m = Math.max(memoryKib, 2 * SYNC_POINTS * lanes);
        this.segmentLength = m / (lanes * SYNC_POINTS);
        this.laneLength = segmentLength * SYNC_POINTS;
        this.blocks = laneLength * lanes;
        this.raw = new NativeBuffer(blocks * BLOCK_BYTES);
        this.memory = raw.buffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
    }

    /**
     * The tag of {@code password} and {@code salt} (no secret, no associated data), {@code length} bytes.
     * The caller checks the parameters: memory at least 8 KiB per lane, at least one pass and one lane.
     */
    static byte[] hash(byte[] password, byte[] salt, int memoryKib, int passes, int lanes, int length) {
        return hash(password, salt, new byte[0], new byte[0], memoryKib, passes, lanes, length);
    }

    /** The same with a secret key and associated data (RFC 9106 §3.1 K and X; its test vectors use them). */
    static byte[] hash(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib, int passes,
                       int lanes, int length) {
        Argon2Engine e = new Argon2Engine(memoryKib, passes, lanes);
        try {
            byte[] h0 = e.initialHash(password, salt, secret, associated, memoryKib, length);
            e.firstBlocks(h0);
            for (int pass = 0; pass < passes; pass++) {
                for (int slice = 0; slice < SYNC_POINTS; slice++) {
                    for (int lane = 0; lane < lanes; lane++) {
                        e.segment(pass, lane, slice);
                    }
                }
            }
            return e.tag(length);
        } finally {
            e.raw.close();
        }
    }


    private byte[] initialHash(byte[] p, byte[] s, byte[] k, byte[] x, int memoryKib, int length) {
        Blake2bDigest d = new Blake2bDigest(512);
        for (int v : new int[] {lanes, length, memoryKib, passes, VERSION, TYPE_ID}) {
            int32(d, v);
        }
        for (byte[] part : new byte[][] {p, s, k, x}) {
            int32(d, part.length);
            d.update(part, 0, part.length);
        }
        byte[] h0 = new byte[64];
        d.doFinal(h0, 0);
        return h0;
    }

    private void firstBlocks(byte[] h0) {
        byte[] seed = new byte[72];
        System.arraycopy(h0, 0, seed, 0, 64);
        byte[] block = new byte[BLOCK_BYTES];
        for (int lane = 0; lane < lanes; lane++) {
            for (int i = 0; i < 2; i++) {
                putInt32(seed, 64, i);
                putInt32(seed, 68, lane);
                variableHash(seed, block);
                ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
                for (int w = 0; w < BLOCK_LONGS; w++) {
                    z[w] = b.getLong(w * 8);
                }
                memory.put((lane * laneLength + i) * BLOCK_LONGS, z);
            }
        }
    }

    private void segment(int pass, int lane, int slice) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
        if (independent) {
            java.util.Arrays.fill(input, 0);
            input[0] = pass;
            input[1] = lane;
            input[2] = slice;
            input[3] = blocks;
            input[4] = passes;
            input[5] = TYPE_ID;
        }
        int start = 0;
        if (pass == 0 && slice == 0) {
            start = 2; // the first two blocks of each lane come from H0
            if (independent) {
                nextAddresses();
            }
        }
        int current = lane * laneLength + slice * segmentLength + start;
        int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
        memory.get(previous * BLOCK_LONGS, prev);
        for (int i = start; i < segmentLength; i++, current++) {
            long pseudoRandom;
            if (independent) {
                if (i % BLOCK_LONGS == 0) {
                    nextAddresses();
                }
                pseudoRandom = address[i % BLOCK_LONGS];
            } else {
                pseudoRandom = prev[0];
            }
            int refLane = pass == 0 && slice == 0 ? lane : (int) Long.remainderUnsigned(pseudoRandom >>> 32, lanes);
            int refIndex = referenceIndex(pass, slice, i, pseudoRandom & 0xFFFFFFFFL, refLane == lane);
            memory.get((refLane * laneLength + refIndex) * BLOCK_LONGS, ref);
            boolean withXor = pass > 0;
            if (withXor) {
                memory.get(current * BLOCK_LONGS, z); // the block being overwritten (version 0x13)
            }
            compress(prev, ref, withXor);
            memory.put(current * BLOCK_LONGS, prev); // compress left the new block in prev
        }
    }

    /** RFC 9106 §3.4.1.2: where in the lane the reference block is. */
    private int referenceIndex(int pass, int slice, int index, long j1, boolean sameLane) {
        long area;
        if (pass == 0) {
            if (slice == 0) {
                area = index - 1;
            } else if (sameLane) {
                area = (long) slice * segmentLength + index - 1;
            } else {
                area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
            }
        } else if (sameLane) {
            area = laneLength - segmentLength + index - 1;
        } else {
            area = laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        long x = (j1 * j1) >>> 32;
        long relative = area - 1 - ((area * x) >>> 32);
        long start = pass == 0 || slice == SYNC_POINTS - 1 ? 0 : (long) (slice + 1) * segmentLength;
        return (int) ((start + relative) % laneLength);
    }

    /** The next block of pseudo-random addresses for data-independent addressing: G(0, G(0, input)). */
    private void nextAddresses() {
        input[6]++;
        System.arraycopy(zero, 0, address, 0, BLOCK_LONGS);
        compressInto(address, input);
        long[] once = address.clone();
        System.arraycopy(zero, 0, address, 0, BLOCK_LONGS);
        compressInto(address, once);
    }

    /** address = G(address, y) without xor: used only with address = 0. */
    private void compressInto(long[] x, long[] y) {
        for (int i = 0; i < BLOCK_LONGS; i++) {
            r[i] = x[i] ^ y[i];
        }
        long[] q = r.clone();
        permute(q);
        for (int i = 0; i < BLOCK_LONGS; i++) {
            x[i] = q[i] ^ r[i];
        }
    }

    /**
     * G(x, y) into x: R = x ^ y, Q = P(R) by rows then columns, result Q ^ R, xored with the old block (in
     * {@link #z}) from the second pass on.
     */
    private void compress(long[] x, long[] y, boolean withXor) {
        for (int i = 0; i < BLOCK_LONGS; i++) {
            r[i] = x[i] ^ y[i];
        }
        if (withXor) {
            for (int i = 0; i < BLOCK_LONGS; i++) {
                z[i] ^= r[i];
            }
        } else {
            System.arraycopy(r, 0, z, 0, BLOCK_LONGS);
        }
        permute(r);
        for (int i = 0; i < BLOCK_LONGS; i++) {
            x[i] = z[i] ^ r[i];
        }
    }

    private static void permute(long[] v) {
        for (int i = 0; i < 8; i++) { // rows: 16 consecutive words
            int b = 16 * i;
            round(v, b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
                    b + 14, b + 15);
        }
        for (int i = 0; i < 8; i++) { // columns: pairs of words, 16 apart
            int b = 2 * i;
            round(v, b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
                    b + 97, b + 112, b + 113);
        }
    }

    @SuppressWarnings("checkstyle:ParameterNumber")
    private static void round(long[] v, int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8,
                              int v9, int v10, int v11, int v12, int v13, int v14, int v15) {
        g(v, v0, v4, v8, v12);
        g(v, v1, v5, v9, v13);
        g(v, v2, v6, v10, v14);
        g(v, v3, v7, v11, v15);
        g(v, v0, v5, v10, v15);
        g(v, v1, v6, v11, v12);
        g(v, v2, v7, v8, v13);
        g(v, v3, v4, v9, v14);
    }

    private static void g(long[] v, int a, int b, int c, int d) {
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }

    private static long blaMka(long x, long y) {
        return x + y + 2 * (x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL);
    }

    private byte[] tag(int length) {
        java.util.Arrays.fill(z, 0);
        for (int lane = 0; lane < lanes; lane++) {
            memory.get((lane * laneLength + laneLength - 1) * BLOCK_LONGS, ref);
            for (int i = 0; i < BLOCK_LONGS; i++) {
                z[i] ^= ref[i];
            }
        }
        ByteBuffer c = ByteBuffer.allocate(BLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : z) {
            c.putLong(w);
        }
        byte[] out = new byte[length];
        variableHash(c.array(), out);
        return out;
    }

    /** H' of RFC 9106 §3.3: Blake2b stretched to {@code out.length} bytes. */
    private static void variableHash(byte[] in, byte[] out) {
        int t = out.length;
        if (t <= 64) {
            Blake2bDigest d = new Blake2bDigest(t * 8);
            int32(d, t);
            d.update(in, 0, in.length);
            d.doFinal(out, 0);
            return;
        }
        byte[] v = new byte[64];
        Blake2bDigest d = new Blake2bDigest(512);
        int32(d, t);
        d.update(in, 0, in.length);
        d.doFinal(v, 0);
        int r = (t + 31) / 32 - 2;
        int pos = 0;
        for (int i = 1; i < r; i++) {
            System.arraycopy(v, 0, out, pos, 32);
            pos += 32;
            d.update(v, 0, 64);
            d.doFinal(v, 0); // doFinal resets the digest
        }
        System.arraycopy(v, 0, out, pos, 32);
        pos += 32;
        Blake2bDigest last = new Blake2bDigest((t - 32 * r) * 8);
        last.update(v, 0, 64);
        last.doFinal(out, pos);
    }

    private static void int32(Blake2bDigest d, int v) {
        byte[] b = new byte[4];
        putInt32(b, 0, v);
        d.update(b, 0, 4);
    }

    private static void putInt32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
