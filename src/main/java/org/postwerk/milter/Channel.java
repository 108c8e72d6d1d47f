package org.postwerk.milter;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The byte stream to one milter, TCP or a Unix socket, with deadlines. A deadline closes the stream when it
 * passes, whatever the thread is blocked in (a read, or a write to a milter that stopped reading), the one way
 * that works for both kinds of socket; the blocked call then fails with an IOException.
 */
final class Channel implements Closeable {
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "milter-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final Closeable socket;
    final InputStream in;
    final OutputStream out;
    private ScheduledFuture<?> deadline;
    private volatile boolean expired;

    private Channel(Closeable socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = new BufferedInputStream(in, 8192);
        this.out = new BufferedOutputStream(out, 65536 + 16);
    }

    /** Connects within {@code timeout}; a host name in an address is looked up now. */
    static Channel connect(SocketAddress address, Duration timeout) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            SocketChannel ch = SocketChannel.open(unix);
            return new Channel(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
        }
        InetSocketAddress inet = (InetSocketAddress) address;
        if (inet.isUnresolved()) {
            inet = new InetSocketAddress(inet.getHostString(), inet.getPort());
        }
        Socket s = new Socket();
        try {
            s.connect(inet, (int) Math.max(1, timeout.toMillis()));
            s.setTcpNoDelay(true);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new Channel(s, s.getInputStream(), s.getOutputStream());
    }

    /** From now on the stream has {@code timeout} until the next call of this or {@link #clearDeadline()}. */
    void deadline(Duration timeout) {
        clearDeadline();
        deadline = TIMERS.schedule(() -> {
            expired = true;
            close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    void clearDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** True once a deadline closed the stream (so the IOException it caused is a timeout). */
    boolean expired() {
        return expired;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }
}
