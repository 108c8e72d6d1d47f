package org.postwerk.journal;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Passes a message through to its file and keeps a copy for a journal record, as long as the message stays
 * within {@code max} bytes; beyond that the copy is dropped ({@link #fits()} turns false) and the writer takes
 * its fsync path instead.
 */
public final class Capture extends FilterOutputStream {
    private Copy copy = new Copy();
    private final long max;

    public Capture(OutputStream target, long max) {
        super(target);
        this.max = max;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        keep(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        keep(b, off, len);
    }

    private void keep(byte[] b, int off, int len) {
        if (copy != null) {
            if (copy.size() + (long) len > max) {
                copy = null;
            } else {
                copy.write(b, off, len);
            }
        }
    }

    /** True while everything written so far is in the copy. */
    public boolean fits() {
        return copy != null;
    }

    /** The copy, without copying it again. Only when {@link #fits()}. */
    public ByteBuffer content() {
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
