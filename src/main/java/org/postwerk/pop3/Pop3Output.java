package org.postwerk.pop3;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Status lines and multi-line responses to the client (RFC 1939 §3), buffered, counting octets. The lock lets
 * a shutdown write its last line only between two responses of the session's own thread.
 */
final class Pop3Output {
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private long written;

    Pop3Output(OutputStream raw) {
        switchTo(raw);
    }

    void switchTo(OutputStream raw) {
        out = new BufferedOutputStream(new FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                raw.write(b, off, len);
                written += len;
            }
        }, 16 * 1024);
    }

    /** {@code +OK text}. */
    void ok(String text) throws IOException {
        line(text.isEmpty() ? "+OK" : "+OK " + text);
    }

    /** {@code -ERR [CODE] text}; the code is one of RFC 2449 §8 and RFC 3206, or null. */
    void err(String code, String text) throws IOException {
        line("-ERR " + (code == null ? "" : "[" + code + "] ") + text);
    }

    void line(String line) throws IOException {
        lock.lock();
        try {
            out.write(line.getBytes(StandardCharsets.UTF_8));
            out.write('\r');
            out.write('\n');
        } finally {
            lock.unlock();
        }
    }

    /** The stream for a multi-line body (see {@link MessageLines}); the caller ends it. */
    OutputStream stream() {
        return out;
    }

    void flush() throws IOException {
        out.flush();
    }

    boolean tryLock() {
        return lock.tryLock();
    }

    void unlock() {
        lock.unlock();
    }

    long written() {
        return written;
    }
}
