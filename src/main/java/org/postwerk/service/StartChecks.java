package org.postwerk.service;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.config.Addresses;
import org.postwerk.config.Config;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.TlsConfig;
import org.postwerk.tls.TlsContexts;

/**
 * What would stop a start, found without binding a port or changing a file: the data folder, the certificate
 * and key, listener addresses this host does not have. {@code check-config}, the start and a reload run the
 * same checks; what only binding tells (a port in use, a port below 1024 without the capability) is
 * {@link #bindFailure} of the start.
 */
public final class StartChecks {
    private StartChecks() {}

    /** Every problem found, in the order of the configuration file. */
    public static List<StartProblem> problems(Config config) {
        List<StartProblem> out = new ArrayList<>();
        DataFolder.check(config.dataDir()).ifPresent(out::add);
        config.listeners().forEach(l -> foreignAddress(l).ifPresent(out::add));
        tls(config.tls()).ifPresent(out::add);
        return out;
    }

    /** The operator's certificates and keys ({@code [tls]} and {@code [[tls.extra]]}) read as the server will. */
    public static Optional<StartProblem> tls(TlsConfig tls) {
        try {
            if (tls.certificate().isPresent()) {
                TlsContexts.fromPem(tls.certificate().get(), tls.key().orElseThrow());
            }
            for (TlsConfig.Pair p : tls.extra()) {
                TlsContexts.readPair(p.certificate(), p.key());
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(new StartProblem(StartProblem.Exit.CONFIG, "tls", e.getMessage(),
                    "the certificate chain and its key must be unencrypted PEM files the server's user can read"));
        }
    }

    /** A listener on an address that no interface of this host has (loopback and wildcards always bind). */
    private static Optional<StartProblem> foreignAddress(ListenerConfig l) {
        InetAddress a = l.address().getAddress();
        if (a.isAnyLocalAddress() || a.isLoopbackAddress()) {
            return Optional.empty();
        }
        try {
            if (NetworkInterface.getByInetAddress(a) != null) {
                return Optional.empty();
            }
        } catch (SocketException e) {
            return Optional.empty(); // cannot tell: the bind will
        }
        return Optional.of(notHere(l.role().name().toLowerCase(Locale.ROOT), l.address()));
    }

    private static StartProblem notHere(String role, InetSocketAddress address) {
        return new StartProblem(StartProblem.Exit.CONFIG, role + " listener " + Addresses.format(address),
                "this host has no such address", "use one of its addresses (ip -brief address), or 0.0.0.0 / ::");
    }

    /** Why a listener could not bind, in the operator's words (the JDK's message names neither port nor cause). */
    public static StartProblem bindFailure(String role, InetSocketAddress address, IOException e) {
        String thing = role + " listener " + Addresses.format(address);
        String why = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (why.contains("already in use")) {
            return new StartProblem(StartProblem.Exit.CONFIG, thing, "port " + address.getPort() + " already in use",
                    "another program listens there (ss -ltnp 'sport = :" + address.getPort()
                            + "'), or set another port");
        }
        if (why.contains("permission denied") || why.contains("access denied")) {
            return new StartProblem(StartProblem.Exit.CONFIG, thing, "permission denied",
                    address.getPort() < 1024 ? "ports below 1024 need CAP_NET_BIND_SERVICE: run from the systemd "
                            + "unit (AmbientCapabilities=CAP_NET_BIND_SERVICE) or set a port >= 1024"
                            : "a security policy forbids this bind");
        }
        if (why.contains("assign requested address")) {
            return notHere(role, address);
        }
        return new StartProblem(StartProblem.Exit.IO, thing, "cannot listen (" + e.getMessage() + ")", "");
    }
}
