package org.postwerk.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.postwerk.config.Role;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one address and runs each in its own virtual thread, as a {@link Session} of the
 * listener's protocol. Limits are the sessions' business ({@link ConnectionLimiter}: a refused client gets a
 * protocol reply rather than a silent backlog). Under stress a sweep ends the sessions whose waiting read has
 * outlived the stress timeouts. Closing stops accepting, tells every session to end, and waits a grace period
 * for busy ones.
 */
public final class Listener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final SessionIds SESSION_IDS = new SessionIds(System.currentTimeMillis());
    private static final long SWEEP_MILLIS = 500;

    /** Makes the session of one accepted connection. */
    @FunctionalInterface
    public interface Factory {
        Session create(Socket socket, ScheduledExecutorService watchdog, String id);
    }

    private final Role role;
    private final InetSocketAddress bind;
    private volatile Factory factory; // a reload may give new sessions new settings
    private final ConnectionLimiter limiter;
    private final SessionMeters meters;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    /** Closes sessions at their deadline, whatever they are blocked in. */
    private final ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "session-deadlines");
        t.setDaemon(true);
        return t;
    });
    private ServerSocket server;
    private Thread acceptor;
    private volatile boolean closing;

    public Listener(Role role, InetSocketAddress bind, Factory factory, ConnectionLimiter limiter) {
        this(role, bind, factory, limiter, SessionMeters.NONE);
    }

    /** With {@code meters} counting its sessions (the ones its sessions count in too). */
    public Listener(Role role, InetSocketAddress bind, Factory factory, ConnectionLimiter limiter,
                    SessionMeters meters) {
        this.role = role;
        this.bind = bind;
        this.factory = factory;
        this.limiter = limiter;
        this.meters = meters;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens the port; a socket that fails to bind is closed again. */
    private void bind() throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(bind, 4096);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        server = socket;
    }

    /** Sessions accepted from now on are made by {@code next}; those running keep what they were made with. */
    public void factory(Factory next) {
        this.factory = next;
    }

    public void start() throws IOException {
        bind();
        watchdog.setRemoveOnCancelPolicy(true);
        watchdog.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        // A platform thread: accepting must not wait behind busy sessions for a carrier thread.
        acceptor = Thread.ofPlatform().daemon().name("accept-" + role.name().toLowerCase()).start(this::accept);
        LOG.info("listening role={} address={}", role, address());
    }

    /** The bound address (with the real port when 0 was asked for). */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public Role role() {
        return role;
    }

    /** True while the socket is bound and accepting (for the operators' health check). */
    public boolean accepting() {
        return server != null && server.isBound() && !server.isClosed() && !closing;
    }

    private void accept() {
        while (!closing) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closing) {
                    // E.g. out of file descriptors: back off instead of spinning on the error.
                    LOG.warn("accept failed on {}: {}", address(), e.toString());
                    pause(100);
                }
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                // not fatal
            }
            Session session = factory.create(socket, watchdog, SESSION_IDS.next());
            sessions.add(session);
            meters.opened();
            Thread.ofVirtual().name(role.name().toLowerCase() + "-" + session.id()).start(() -> {
                try {
                    session.run();
                } finally {
                    sessions.remove(session);
                    meters.closed();
                }
            });
        }
    }

    /** Reads that began before stress did keep their long timeouts; under stress they are cut here. */
    private void sweep() {
        if (limiter.stressed()) {
            long now = System.nanoTime();
            // Each on its own thread: the 421 may block on a client that does not read.
            sessions.stream().filter(s -> s.overdue(now)).forEach(s -> Thread.ofVirtual().start(s::cut));
        }
    }

    /** Stops accepting and ends all sessions, waiting up to {@code grace} for sessions in a transaction. */
    public void close(Duration grace) {
        stopAccepting();
        awaitSessions(System.nanoTime() + grace.toNanos());
    }

    /**
     * Stops accepting and frees the port, but lets the sessions run to their own end: a listener that a reload
     * removed. {@link #close} later ends whatever is left.
     */
    public void retire() {
        closing = true;
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException e) {
            // already closed
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
    }

    /** Sessions running now. */
    public int sessions() {
        return sessions.size();
    }

    /** First step of a shutdown: no new connections; idle sessions get 421 at once. */
    public void stopAccepting() {
        retire();
        sessions.forEach(Session::shutdown);
    }

    /**
     * Second step: lets busy sessions finish their message until {@code deadlineNanos}, then closes what is
     * left and waits (briefly) for those sessions to end, so nothing still runs when the queue closes. A
     * message cut off this way was never acknowledged.
     */
    public void awaitSessions(long deadlineNanos) {
        while (!sessions.isEmpty() && System.nanoTime() < deadlineNanos) {
            pause(20);
            sessions.forEach(Session::shutdown);
        }
        sessions.forEach(Session::abort);
        long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!sessions.isEmpty() && System.nanoTime() < end) {
            pause(10);
        }
        watchdog.shutdownNow();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
