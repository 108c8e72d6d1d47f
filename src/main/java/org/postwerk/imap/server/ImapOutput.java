package org.postwerk.imap.server;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.postwerk.imap.ImapWriter;
import org.postwerk.imap.ResponseCode;
import org.postwerk.io.ReleasingOutputStream;

/**
 * What the session sends: untagged data, continuation requests and tagged status responses (RFC 9051 §7),
 * buffered and flushed when the session waits for the client (the buffer is let go at each flush, so a session
 * waiting for its client holds none). Guarded by a lock, since an IDLE session's
 * watcher writes too. After COMPRESS (RFC 4978) everything goes through a raw DEFLATE stream, flushed with
 * SYNC_FLUSH so the client can decode each response at once.
 */
final class ImapOutput {
    enum Status { OK, NO, BAD, PREAUTH, BYE }

    private static final byte[] CRLF = {'\r', '\n'};

    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;
    private long written;

    ImapOutput(OutputStream raw) {
        this.out = new ReleasingOutputStream(raw, 8192);
    }

    /** Replaces the stream (after STARTTLS): nothing buffered may remain. */
    void switchTo(OutputStream raw) {
        lock.lock();
        try {
            out = new ReleasingOutputStream(raw, 8192);
        } finally {
            lock.unlock();
        }
    }

    /** From now on, compress (RFC 4978 §3: right after the tagged OK, which the caller has flushed). */
    void compress(OutputStream raw) {
        lock.lock();
        try {
            Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            out = new ReleasingOutputStream(new DeflaterOutputStream(raw, deflater, 8192, true), 8192);
        } finally {
            lock.unlock();
        }
    }

    /** {@code * text} */
    void untagged(String text) throws IOException {
        line("* " + text);
    }

    /** {@code * } and the writer's bytes (which may hold literals). */
    void untagged(ImapWriter w) throws IOException {
        lock.lock();
        try {
            out.write('*');
            out.write(' ');
            byte[] b = w.toByteArray();
            out.write(b);
            out.write(CRLF);
            written += b.length + 4;
        } finally {
            lock.unlock();
        }
    }

    void continuation(String text) throws IOException {
        line("+ " + text);
    }

    void status(String tag, Status status, ResponseCode code, String text) throws IOException {
        line(tag + " " + status + " " + (code == null ? "" : "[" + code.text() + "] ") + text);
    }

    private void line(String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(b);
            out.write(CRLF);
            written += b.length + 2;
        } finally {
            lock.unlock();
        }
    }

    /** Writes what a buffer holds under the lock (without copying it first). */
    void raw(java.io.ByteArrayOutputStream b) throws IOException {
        lock.lock();
        try {
            b.writeTo(out);
            written += b.size();
        } finally {
            lock.unlock();
        }
    }

    /** Writes raw octets (a literal's content) under the lock. */
    void raw(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            out.write(b, off, len);
            written += len;
        } finally {
            lock.unlock();
        }
    }

    void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Tries to take the lock without waiting (a shutdown must not block on a stuck writer). */
    boolean tryLock() {
        return lock.tryLock();
    }

    void lock() {
        lock.lock();
    }

    void unlock() {
        lock.unlock();
    }

    /** Octets sent so far, before compression (for the session-end log line). */
    long written() {
        return written;
    }
}
