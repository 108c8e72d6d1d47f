package org.postwerk.smtp.server;

import org.postwerk.net.ConnectionLimiter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.BooleanSupplier;
import org.postwerk.config.Timeouts;

/**
 * When each read of one session must end (RFC 5321 §4.5.3.2): a whole command line within the command timeout,
 * each read of message data within the data-block timeout, everything within the session deadline.
 *
 * <p>Under stress ({@link ConnectionLimiter#stressed()}) the stress timeouts apply where they are shorter, to
 * every read that starts from then on, also in sessions that were open before; a read already waiting is cut
 * by the listener's sweep through {@link #overdue}. Message data must then also keep coming at
 * {@link #MIN_DATA_RATE} on average (Postfix's {@code smtpd_min_data_rate}): a per-read timeout alone lets a
 * client hold its slot with one byte of DATA every few seconds.
 */
final class ReadDeadlines {
    /** Bytes per second of message data under stress, after the first stress data-block timeout. */
    static final long MIN_DATA_RATE = 500;

    private final Timeouts timeouts;
    private final BooleanSupplier stressed;
    private final long sessionDeadline;
    private long lineStart;
    private boolean inData;
    private long dataStart;
    private long receivedAtDataStart;
    /** Bytes received so far; the session's thread alone reads and writes it. */
    private long received;
    private volatile boolean waiting;
    private volatile long stressDeadline = Long.MAX_VALUE;

    ReadDeadlines(Timeouts timeouts, BooleanSupplier stressed, long now) {
        this.timeouts = timeouts;
        this.stressed = stressed;
        this.sessionDeadline = now + timeouts.session().toNanos();
        this.lineStart = now;
    }

    /** A command line starts now: the command timeout covers the whole line, not each read. */
    void startLine(long now) {
        lineStart = now;
    }

    /**
     * The socket timeout for a read that starts now, in milliseconds (at least 1).
     *
     * @throws SocketTimeoutException when the deadline has passed already
     */
    int nextRead(long now, boolean data) throws SocketTimeoutException {
        long normal;
        long stress;
        if (data) {
            if (!inData) {
                inData = true;
                dataStart = now;
                receivedAtDataStart = received;
            }
            normal = now + timeouts.dataBlock().toNanos();
            long paced = dataStart + timeouts.stressDataBlock().toNanos()
                    + (received - receivedAtDataStart) * 1_000_000_000L / MIN_DATA_RATE;
            stress = Math.min(now + timeouts.stressDataBlock().toNanos(), paced);
        } else {
            inData = false;
            normal = lineStart + timeouts.command().toNanos();
            stress = lineStart + timeouts.stressCommand().toNanos();
        }
        stressDeadline = Math.min(normal, stress);
        long deadline = Math.min(sessionDeadline, stressed.getAsBoolean() ? Math.min(normal, stress) : normal);
        long left = deadline - now;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000));
    }

    /** True when a read is waiting that has run past what stress allows it (only meaningful under stress). */
    boolean overdue(long now) {
        return waiting && now - stressDeadline > 0;
    }

    /** The bound on a TLS handshake: the command timeout, or under stress the stress one when shorter. */
    long handshakeMillis() {
        return (stressed.getAsBoolean() && timeouts.stressCommand().compareTo(timeouts.command()) < 0
                ? timeouts.stressCommand() : timeouts.command()).toMillis();
    }

    /** The client's stream as these deadlines see it: what came in, and whether a read is waiting now. */
    InputStream watch(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                waiting = true;
                try {
                    int n = super.read(b, off, len);
                    received += Math.max(0, n);
                    return n;
                } finally {
                    waiting = false;
                }
            }
        };
    }
}
