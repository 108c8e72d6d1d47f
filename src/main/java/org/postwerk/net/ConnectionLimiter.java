package org.postwerk.net;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.postwerk.config.Limits;
import org.postwerk.config.Network;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts open sessions, shared by all listeners: in total, per client address and per client network, and
 * decides when the server is under stress. The trusted {@code relay_networks} count only towards the total
 * (Postfix exempts {@code $mynetworks} from its per-client limits the same way).
 *
 * <p>An IPv4 client is one address; an IPv6 client is its /84, as Postfix's anvil counts it
 * ({@code smtpd_client_ipv6_prefix_length}): a host is often given a whole /64 and may pick a new address for
 * each connection, and the network limit (by default per /64) bounds the whole block.
 *
 * <p>Stress begins when more than {@link Limits.Stress#percent} of the connections are open and ends when
 * at most nine tenths of that are; it is logged both ways. Under stress sessions get shorter timeouts
 * ({@link ReadDeadlines}), and a network that already holds {@link Limits.Stress#connectionsPerNetwork}
 * sessions is refused: clients that trickle bytes into many slots from a few networks cannot take the rest.
 */
public final class ConnectionLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    /** Window for counting failed logins per client across sessions (Postfix's anvil does the same). */
    static final long AUTH_WINDOW_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(15);
    static final int IPV6_CLIENT_PREFIX = 84;

    /** The limits of the moment: a reload swaps them whole, the counts of open sessions stay. */
    private record Bounds(int total, int perAddress, Limits.PerNetwork perNetwork, int perNetworkUnderStress,
                          List<Network> exempt, int stressAbove, int stressEndsAt, int authFailuresPerWindow) {
        static Bounds of(Limits limits, List<Network> exempt) {
            int stressAbove = (int) ((long) limits.connections() * limits.stress().percent() / 100);
            // A client may fail four times a session's worth of logins in the window, over all its sessions.
            return new Bounds(limits.connections(), limits.connectionsPerIp(), limits.perNetwork(),
                    limits.stress().connectionsPerNetwork(), List.copyOf(exempt), stressAbove, stressAbove * 9 / 10,
                    4 * limits.authFailures());
        }
    }

    private volatile Bounds bounds;
    /** Failed logins per client in a sliding window: reconnecting does not reset them. */
    private final SlidingWindow<InetAddress> authFailures = new SlidingWindow<>(
            java.time.Duration.ofNanos(AUTH_WINDOW_NANOS), 100_000, java.time.Clock.systemUTC());
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<Network, Integer> byAddress = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Network, Integer> byNetwork = new ConcurrentHashMap<>();
    private final AtomicBoolean stressed = new AtomicBoolean();
    private volatile long stressSince;
    private final AtomicLong refusedUnderStress = new AtomicLong();

    /**
     * @param exempt the trusted networks, counted only towards {@code limits.connections()}
     */
    public ConnectionLimiter(Limits limits, List<Network> exempt) {
        this.bounds = Bounds.of(limits, exempt);
    }

    /**
     * New limits for the sessions that come from now on (a reload); those open stay counted. The network
     * prefixes are kept: the counts are keyed by them.
     */
    public void update(Limits limits, List<Network> exempt) {
        Limits same = new Limits(limits.messageSize(), limits.recipients(), limits.commandLine(), limits.textLine(),
                limits.connections(), limits.connectionsPerIp(), limits.errors(), limits.authFailures(),
                limits.authFailureDelay(), new Limits.PerNetwork(limits.perNetwork().connections(),
                        bounds.perNetwork().ipv4Prefix(), bounds.perNetwork().ipv6Prefix()), limits.stress());
        this.bounds = Bounds.of(same, exempt);
    }

    /** True when the client has used up its failed logins for now: AUTH gets 454 without trying. */
    public boolean authBlocked(InetAddress client) {
        return !authFailures.allows(key(client), bounds.authFailuresPerWindow());
    }

    /** Counts a failed login; reconnecting does not reset it (the per-session limit alone would). */
    public void authFailed(InetAddress client) {
        authFailures.add(key(client));
    }

    /** Why a connection was refused, or null when it was admitted (then {@link #exit} must follow). */
    public String tryEnter(InetAddress client) {
        Bounds b = bounds;
        int n = open.incrementAndGet();
        if (n > b.total()) {
            open.decrementAndGet();
            return refused("Too many connections, try again later");
        }
        stress(n);
        if (isExempt(client)) {
            return null;
        }
        Network address = address(client);
        Network network = network(client);
        int fromAddress = byAddress.merge(address, 1, Integer::sum);
        int fromNetwork = byNetwork.merge(network, 1, Integer::sum);
        String refusal = fromAddress > b.perAddress() ? "Too many connections from your address"
                : fromNetwork > b.perNetwork().connections() ? "Too many connections from your network"
                : stressed() && fromNetwork > b.perNetworkUnderStress() ? "Server busy, try again later"
                : null;
        if (refusal != null) {
            exit(client);
            return refused(refusal);
        }
        return null;
    }

    private String refused(String reason) {
        if (stressed()) {
            refusedUnderStress.incrementAndGet();
        }
        return reason;
    }

    public void exit(InetAddress client) {
        stress(open.decrementAndGet());
        if (!isExempt(client)) {
            byAddress.computeIfPresent(address(client), (a, n) -> n <= 1 ? null : n - 1);
            byNetwork.computeIfPresent(network(client), (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** True while the server is under stress: sessions get the stress timeouts. */
    public boolean stressed() {
        return stressed.get();
    }

    private void stress(int openNow) {
        Bounds b = bounds;
        if (openNow > b.stressAbove()) {
            if (stressed.compareAndSet(false, true)) {
                stressSince = System.nanoTime();
                refusedUnderStress.set(0);
                LOG.warn("event=stress-start open={} connections={}", openNow, b.total());
            }
        } else if (openNow <= b.stressEndsAt() && stressed.compareAndSet(true, false)) {
            LOG.info("event=stress-end open={} seconds={} refused={}", openNow,
                    (System.nanoTime() - stressSince) / 1_000_000_000L, refusedUnderStress.get());
        }
    }

    private boolean isExempt(InetAddress client) {
        return Network.anyContains(bounds.exempt(), client);
    }

    /** One client: an IPv4 address, an IPv6 /84 (see the class comment); the rate limits count them alike. */
    public static Network address(InetAddress client) {
        return Network.containing(client, 32, IPV6_CLIENT_PREFIX);
    }

    private Network network(InetAddress client) {
        Limits.PerNetwork perNetwork = bounds.perNetwork();
        return Network.containing(client, perNetwork.ipv4Prefix(), perNetwork.ipv6Prefix());
    }

    /** The key for failed logins: an IPv6 client per /64, the smallest block a site is normally given. */
    static InetAddress key(InetAddress client) {
        if (!(client instanceof java.net.Inet6Address)) {
            return client;
        }
        byte[] a = client.getAddress();
        java.util.Arrays.fill(a, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // 16 bytes are always a valid address
        }
    }

    public int open() {
        return open.get();
    }
}
