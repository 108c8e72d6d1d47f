package org.postwerk.auth.dkim;

import java.io.OutputStream;

/** An OutputStream over an {@code update(b, off, len)} method, so a check can be teed into like a stream. */
// public for org.postwerk.auth.arc (RFC 8617 reuses DKIM's stream adapter)
public final class Feed extends OutputStream {
    public interface Update {
        void update(byte[] b, int off, int len);
    }

    private final Update update;
    private final byte[] one = new byte[1];

    public Feed(Update update) {
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
