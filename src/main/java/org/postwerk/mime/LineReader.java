package org.postwerk.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a message line by line in one pass with bounded memory: for each line it knows the octet offset, the
 * length with its terminator (CRLF, or a bare LF from a sloppy source) and keeps at most {@link #PREFIX} leading
 * octets, enough to recognise a boundary (RFC 2046 §5.1.1: at most 70 characters plus "--" and padding) or a
 * header field name. A 10 MB line costs a scan, never 10 MB of memory.
 */
final class LineReader {
    /** Octets of each line kept for inspection; header values longer than this are read with {@link #tail}. */
    static final int PREFIX = 1024;

    private final InputStream in;
    private final byte[] buf = new byte[16 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private long bufferOffset;

    /** The current line: its first octets, their count, and where it starts and how long it is. */
    final byte[] prefix = new byte[PREFIX];
    int prefixLength;
    long start;
    long length;
    /** Octets of the terminator: 2 for CRLF, 1 for a bare LF, 0 for a last line without one. */
    int eol;
    /** Set when the line was longer than {@link #PREFIX}: the octets after the prefix, up to a bound. */
    private byte[] tailBytes;
    private int tailLength;
    private int tailWanted;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** How many octets past the prefix the next line should keep (for long header fields); 0 to keep none. */
    void keepTail(int octets) {
        tailWanted = octets;
    }

    byte[] tail() {
        return tailBytes;
    }

    int tailLength() {
        return tailLength;
    }

    /** Where the next line starts (after the current one). */
    long next() {
        return start + length;
    }

    /** Reads the next line; false at the end of the input. */
    boolean read() throws IOException {
        start = bufferOffset + pos;
        length = 0;
        prefixLength = 0;
        tailLength = 0;
        eol = 0;
        boolean prevCr = false;
        while (true) {
            if (pos == limit && !fill()) {
                return length > 0;
            }
            int i = pos;
            int end = limit;
            byte[] b = buf;
            while (i < end && b[i] != '\n') {
                i++;
            }
            boolean found = i < end;
            int stop = found ? i + 1 : i;
            copy(pos, stop - pos);
            if (found) {
                boolean cr = i > pos ? b[i - 1] == '\r' : prevCr;
                eol = cr ? 2 : 1;
                length += stop - pos;
                pos = stop;
                return true;
            }
            prevCr = stop > pos && b[stop - 1] == '\r';
            length += stop - pos;
            pos = stop;
        }
    }

    private void copy(int from, int count) {
        int room = PREFIX - prefixLength;
        int n = Math.min(room, count);
        if (n > 0) {
            System.arraycopy(buf, from, prefix, prefixLength, n);
            prefixLength += n;
        }
        int rest = Math.min(count - n, tailWanted - tailLength);
        if (rest > 0) {
            if (tailBytes == null || tailBytes.length < tailLength + rest) {
                byte[] bigger = new byte[Math.max(tailLength + rest, Math.min(tailWanted, 2 * (tailLength + rest)))];
                if (tailBytes != null) {
                    System.arraycopy(tailBytes, 0, bigger, 0, tailLength);
                }
                tailBytes = bigger;
            }
            System.arraycopy(buf, from + n, tailBytes, tailLength, rest);
            tailLength += rest;
        }
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        bufferOffset += limit;
        pos = 0;
        limit = 0;
        int n = in.readNBytes(buf, 0, buf.length);
        if (n <= 0) {
            eof = true;
            return false;
        }
        limit = n;
        return true;
    }

    /** True when the line holds only its terminator (the blank line that ends a header, RFC 5322 §2.1). */
    boolean blank() {
        return length == eol && eol > 0;
    }

    /** The line's content length without the terminator. */
    long contentLength() {
        return length - eol;
    }
}
