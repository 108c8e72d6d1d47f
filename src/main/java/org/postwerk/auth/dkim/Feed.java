package org.postwerk.auth.dkim;

import java.io.OutputStream;

/** An OutputStream over an {@code update(b, off, len)} method, so a check can be teed into like a stream. */
final class Feed extends OutputStream {
    interface Update {
        void update(byte[] b, int off, int len);
    }

    private final Update update;
    private final byte[] one = new byte[1];

    Feed(Update update) {
        this.update = update;
    }

    @Override
    public void write(int b) {
        one[0] = (byte) b;
        update.update(one, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        update.update(b, off, len);
    }
}
