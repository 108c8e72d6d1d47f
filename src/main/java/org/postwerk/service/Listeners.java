package org.postwerk.service;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.postwerk.config.Addresses;
import org.postwerk.config.ListenerConfig;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.Listener;
import org.postwerk.net.SessionMeters;

/**
 * The server's listeners, one per {@code [[listener]]}: each port is tried before anything else starts (a port
 * in use stops the start before a journal is replayed), and opened for good once the server is ready (so that
 * a port that takes connections means a server that serves them); a reload opens the ones added, retires the
 * ones removed (their sessions run on to their end) and gives the rest the new session settings. Thread-safe:
 * {@code /health} reads the list while a reload may change it.
 */
public final class Listeners {
    private final ConnectionLimiter limiter;
    private final Function<ListenerConfig, SessionMeters> meters;
    private final Map<ListenerConfig, Listener> open = new LinkedHashMap<>();
    private final List<Listener> retired = new ArrayList<>();

    public Listeners(ConnectionLimiter limiter) {
        this(limiter, c -> SessionMeters.NONE);
    }

    /** @param meters the meters each listener counts its sessions in */
    public Listeners(ConnectionLimiter limiter, Function<ListenerConfig, SessionMeters> meters) {
        this.limiter = limiter;
        this.meters = meters;
    }

    /** Binds each port and closes it again: what only a bind tells (in use, no permission) is found first. */
    public static void probe(List<ListenerConfig> configs) throws StartFailure {
        for (ListenerConfig c : configs) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true); // as the listener will: the port is free again at once
                s.bind(c.address(), 1);
            } catch (IOException e) {
                throw new StartFailure(StartChecks.bindFailure(role(c), c.address(), e), e);
            }
        }
    }

    /**
     * Opens every port and starts accepting, each with the sessions {@code factories} makes for it; on a
     * failure the ones opened are closed again.
     */
    public synchronized void start(List<ListenerConfig> configs, Function<ListenerConfig, Listener.Factory> factories)
            throws StartFailure {
        for (ListenerConfig c : configs) {
            Listener l = new Listener(c.role(), c.address(), factories.apply(c), limiter, meters.apply(c));
            try {
                l.start();
            } catch (IOException e) {
                open.values().forEach(Listener::stopAccepting);
                throw new StartFailure(StartChecks.bindFailure(role(c), c.address(), e), e);
            }
            open.put(c, l);
        }
    }

    /**
     * Makes the listeners those of {@code next}: a listener whose settings changed is retired and opened anew.
     *
     * @return what was done, one line each, for the log and the {@code reload} command
     */
    public synchronized List<String> update(List<ListenerConfig> next, Function<ListenerConfig, Listener.Factory> factories) {
        List<String> done = new ArrayList<>();
        for (ListenerConfig c : List.copyOf(open.keySet())) {
            if (!next.contains(c)) {
                Listener l = open.remove(c);
                l.retire();
                retired.add(l);
                done.add("closed " + name(c) + " (" + l.sessions() + " sessions run on)");
            }
        }
        for (ListenerConfig c : next) {
            Listener l = open.get(c);
            if (l != null) {
                l.factory(factories.apply(c));
                continue;
            }
            l = new Listener(c.role(), c.address(), factories.apply(c), limiter, meters.apply(c));
            try {
                l.start();
                open.put(c, l);
                done.add("opened " + name(c));
            } catch (IOException e) {
                done.add("not opened: " + StartChecks.bindFailure(role(c), c.address(), e).line());
            }
        }
        return done;
    }

    private static String role(ListenerConfig c) {
        return c.role().name().toLowerCase(Locale.ROOT);
    }

    private static String name(ListenerConfig c) {
        return role(c) + " listener " + Addresses.format(c.address());
    }

    /** The listeners accepting now, in configuration order. */
    public synchronized List<Listener> all() {
        return List.copyOf(open.values());
    }

    /** Every listener, retired ones too: for the shutdown. */
    public synchronized List<Listener> withRetired() {
        List<Listener> all = new ArrayList<>(open.values());
        all.addAll(retired);
        return all;
    }
}
