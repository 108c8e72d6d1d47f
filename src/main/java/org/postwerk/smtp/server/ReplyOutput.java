package org.postwerk.smtp.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.smtp.Reply;

/**
 * The session's replies on their way to the client. They are buffered and go out when the session is about to
 * block for input, or ends: that is all PIPELINING (RFC 2920) needs. One lock, so that the 421 of a shutdown,
 * written from another thread, never lands inside a reply of the session's own.
 */
final class ReplyOutput {
    private final ReentrantLock lock = new ReentrantLock();
    private volatile OutputStream out;

    /** Writes to {@code stream} from now on (a new socket after the TLS handshake). */
    void attach(OutputStream stream) {
        out = new BufferedOutputStream(stream, 4096);
    }

    void send(Reply reply) throws IOException {
        lock.lock();
        try {
            out.write(reply.wireBytes());
        } finally {
            lock.unlock();
        }
    }

    void flush() throws IOException {
        if (out == null) {
            return; // refused before the streams were set up (a bad PROXY header)
        }
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Sends and flushes, for a last reply: a client that is gone already changes nothing. */
    void sendLast(Reply reply) {
        try {
            send(reply);
            flush();
        } catch (IOException e) {
            // the client is gone already
        }
    }

    /**
     * From another thread: sends {@code reply} at once unless the session is writing right now. True when it
     * was sent (or the client was gone), false when the session was busy.
     */
    boolean sendNowIfIdle(Reply reply) {
        if (out == null || !lock.tryLock()) {
            return false;
        }
        try {
            out.write(reply.wireBytes());
            out.flush();
        } catch (IOException e) {
            // the client is gone already
        } finally {
            lock.unlock();
        }
        return true;
    }
}
