package org.postwerk.journal;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Passes a message through to its file, counts it, and keeps a copy for a journal record as long as the message
 * stays within {@code max} bytes; beyond that (or with {@code max} 0: no journal) there is no copy
 * ({@link #fits()} is false) and the message takes the fsync path instead.
 */
final class Capture extends FilterOutputStream {
    private Copy copy;
    private final long max;
    private long size;

    Capture(OutputStream target, long max) {
        super(target);
        this.max = max;
        this.copy = max > 0 ? new Copy() : null;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        size += len;
        if (copy != null) {
            if (size > max) {
                copy = null;
            } else {
                copy.write(b, off, len);
            }
        }
    }

    /** Bytes written so far. */
    long size() {
        return size;
    }

    /** True while everything written so far is in the copy. */
    boolean fits() {
        return copy != null;
    }

    /** The copy, without copying it again. Only when {@link #fits()}. */
    ByteBuffer content() {
        return copy.view();
    }

    private static final class Copy extends ByteArrayOutputStream {
        Copy() {
            super(8192);
        }

        ByteBuffer view() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
