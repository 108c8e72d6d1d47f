package org.postwerk.smtp.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.config.DomainSyntax;
import org.postwerk.config.Network;
import org.postwerk.config.RateLimitConfig;
import org.postwerk.config.RateLimitConfig.Rate;
import org.postwerk.log.Sanitize;
import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.SlidingWindow;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rates of the SMTP listeners, shared by their sessions ({@code [rate_limits]}), each in a sliding window
 * ({@link SlidingWindow}), as Postfix's anvil counts them: connections at connect ({@code 421 4.7.0}, the
 * session ends), messages at MAIL and recipients at RCPT ({@code 450 4.7.1}: the client tries again later): per
 * client address (an IPv6 client is its /84, as in {@code ConnectionLimiter}), per network (by the {@code
 * [limits]} prefixes) for clients that have not logged in, per logged-in user, and per sender domain of our own
 * clients; and unknown recipients per client (directory harvest), answered ever more slowly and at last with
 * {@code 421 4.7.0}. Each refusal is logged (a user's as a warning: a stolen password is the likely cause) and counted in {@code
 * postwerk.rate.limited} by limit. A refused event is not counted.
 */
public final class RateLimits {
    private static final Logger LOG = LoggerFactory.getLogger(RateLimits.class);
    /** Keys per limit: at about 200 bytes each, well under 100 MB for all of them together. */
    static final int MAX_KEYS = 100_000;

    static final Reply CONNECTIONS = Reply.of(421, 4, 7, 0, "Too many connections, try again later");
    static final Reply RATE = Reply.of(450, 4, 7, 1, "Rate limit exceeded, try again later");
    static final Reply HARVEST = Reply.of(421, 4, 7, 0, "Too many unknown recipients, closing connection");

    /** No limits at all (tests and tools that build sessions by hand). */
    public static final RateLimits NONE = new RateLimits(new RateLimitConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), true, new RateLimitConfig.Harvest(Integer.MAX_VALUE - 1,
                    Duration.ZERO, Duration.ZERO, Integer.MAX_VALUE, Duration.ofMinutes(1))),
            List.of(), 24, 64, Clock.systemUTC(), new CompositeMeterRegistry());

    /** One limit: its name in the file (also its meter tag), its rate and the counts. */
    private final class Limit {
        final String name;
        final Counter tripped;
        volatile Rate rate; // null: off
        volatile SlidingWindow<Object> window;

        Limit(String name, MeterRegistry registry) {
            this.name = name;
            this.tripped = Counter.builder("postwerk.rate.limited").tag("limit", name)
                    .description("Connections, messages or recipients refused by a rate limit").register(registry);
        }

        /** A new rate; the counts are kept when the window length stays. */
        void set(Optional<Rate> next) {
            rate = next.orElse(null);
            if (rate != null && (window == null || !window.window().equals(rate.window()))) {
                window = new SlidingWindow<>(rate.window(), MAX_KEYS, clock);
            }
        }

        boolean allows(Object key) {
            Rate r = rate;
            return r == null || key == null || window.allows(key, r.count());
        }

        void count(Object key) {
            if (rate != null && key != null) {
                window.add(key);
            }
        }
    }

    private final Clock clock;
    private final int ipv4Prefix;
    private final int ipv6Prefix;
    private final Limit connectionsPerIp;
    private final Limit connectionsPerNetwork;
    private final Limit messagesPerIp;
    private final Limit recipientsPerIp;
    private final Limit messagesPerNetwork;
    private final Limit recipientsPerNetwork;
    private final Limit messagesPerUser;
    private final Limit recipientsPerUser;
    private final Limit messagesPerSenderDomain;
    private final Limit recipientsPerSenderDomain;
    private final Limit harvest;
    private volatile RateLimitConfig config;
    private volatile List<Network> relayNetworks;
    private volatile SlidingWindow<Network> unknown;

    /** @param ipv4Prefix and {@code ipv6Prefix}: what one network is ({@code [limits]} network_prefix_*) */
    public RateLimits(RateLimitConfig config, List<Network> relayNetworks, int ipv4Prefix, int ipv6Prefix,
                      Clock clock, MeterRegistry registry) {
        this.clock = clock;
        this.ipv4Prefix = ipv4Prefix;
        this.ipv6Prefix = ipv6Prefix;
        connectionsPerIp = new Limit("connections_per_ip", registry);
        connectionsPerNetwork = new Limit("connections_per_network", registry);
        messagesPerIp = new Limit("messages_per_ip", registry);
        recipientsPerIp = new Limit("recipients_per_ip", registry);
        messagesPerNetwork = new Limit("messages_per_network", registry);
        recipientsPerNetwork = new Limit("recipients_per_network", registry);
        messagesPerUser = new Limit("messages_per_user", registry);
        recipientsPerUser = new Limit("recipients_per_user", registry);
        messagesPerSenderDomain = new Limit("messages_per_sender_domain", registry);
        recipientsPerSenderDomain = new Limit("recipients_per_sender_domain", registry);
        harvest = new Limit("harvest", registry);
        update(config, relayNetworks);
    }

    /** New limits for what comes from now on (a reload); counts in windows of unchanged length are kept. */
    public void update(RateLimitConfig next, List<Network> relay) {
        connectionsPerIp.set(next.connectionsPerIp());
        connectionsPerNetwork.set(next.connectionsPerNetwork());
        messagesPerIp.set(next.messagesPerIp());
        recipientsPerIp.set(next.recipientsPerIp());
        messagesPerNetwork.set(next.messagesPerNetwork());
        recipientsPerNetwork.set(next.recipientsPerNetwork());
        messagesPerUser.set(next.messagesPerUser());
        recipientsPerUser.set(next.recipientsPerUser());
        messagesPerSenderDomain.set(next.messagesPerSenderDomain());
        recipientsPerSenderDomain.set(next.recipientsPerSenderDomain());
        if (unknown == null || !unknown.window().equals(next.harvest().window())) {
            unknown = new SlidingWindow<>(next.harvest().window(), MAX_KEYS, clock);
        }
        this.relayNetworks = List.copyOf(relay);
        this.config = next;
    }

    /** At connect: {@code 421 4.7.0} when the client or its network has connected too often, else null. */
    public Reply atConnect(String session, InetAddress client) {
        if (trusted(client)) {
            return null;
        }
        return check(session, client, null, List.of(new Key(connectionsPerIp, address(client)),
                new Key(connectionsPerNetwork, network(client))), CONNECTIONS);
    }

    /** At MAIL FROM: {@code 450 4.7.1} when one more message would exceed a limit, else null (and counted). */
    public Reply atMail(String session, InetAddress client, String authUser, Optional<Mailbox> sender) {
        return check(session, client, authUser, keys(client, authUser, sender, messagesPerIp, messagesPerNetwork,
                messagesPerUser, messagesPerSenderDomain), RATE);
    }

    /** At an accepted RCPT TO: {@code 450 4.7.1} when one more recipient would exceed a limit, else null. */
    public Reply atRcpt(String session, InetAddress client, String authUser, Optional<Mailbox> sender) {
        return check(session, client, authUser, keys(client, authUser, sender, recipientsPerIp, recipientsPerNetwork,
                recipientsPerUser, recipientsPerSenderDomain), RATE);
    }

    /**
     * An unknown recipient: waits the harvest delay this client has earned, then returns null (the caller
     * answers {@code 550 5.1.1}), or {@code 421 4.7.0} when the client has guessed too often.
     */
    public Reply unknownRecipient(String session, InetAddress client) {
        if (trusted(client)) {
            return null;
        }
        RateLimitConfig.Harvest h = config.harvest();
        long n = unknown.add(address(client));
        if (n > h.disconnectAfter()) {
            tripped(session, client, null, harvest, n + " unknown recipients in " + h.window());
            return HARVEST;
        }
        Duration delay = delay(h, n);
        if (!delay.isZero()) {
            LOG.info("session={} event=harvest-delay client={} unknown={} delay={}ms", session,
                    client.getHostAddress(), n, delay.toMillis());
            try {
                Thread.sleep(delay); // a parked virtual thread: cheap for us, slow for the guesser
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return null;
    }

    /** The wait before the answer to the {@code n}th unknown recipient: grows by {@code delay} past the first few. */
    static Duration delay(RateLimitConfig.Harvest h, long n) {
        if (n <= h.delayAfter()) {
            return Duration.ZERO;
        }
        Duration d = h.delay().multipliedBy(Math.min(n - h.delayAfter(), 10_000));
        return d.compareTo(h.maxDelay()) > 0 ? h.maxDelay() : d;
    }

    private record Key(Limit limit, Object value) {}

    private List<Key> keys(InetAddress client, String authUser, Optional<Mailbox> sender, Limit perIp,
                           Limit perNetwork, Limit perUser, Limit perSenderDomain) {
        List<Key> keys = new ArrayList<>(4);
        boolean trusted = trusted(client);
        // A logged-in user is counted as the user: an office behind one NAT address is many senders.
        if (!trusted && authUser == null) {
            keys.add(new Key(perIp, address(client)));
            keys.add(new Key(perNetwork, network(client)));
        }
        RateLimitConfig c = config;
        if (authUser != null && (c.userLimitsInRelayNetworks() || !trusted)
                && !c.exemptUsers().contains(authUser.toLowerCase(Locale.ROOT))) {
            keys.add(new Key(perUser, authUser.toLowerCase(Locale.ROOT)));
        }
        // Only the mail of our own clients: a stranger could name any domain to use up its budget.
        if ((authUser != null || trusted) && sender.isPresent()) {
            keys.add(new Key(perSenderDomain, DomainSyntax.canonical(sender.get().domain())));
        }
        return keys;
    }

    /** Refuses when any limit is reached; else counts the event under every key. */
    private Reply check(String session, InetAddress client, String authUser, List<Key> keys, Reply refusal) {
        for (Key k : keys) {
            if (!k.limit().allows(k.value())) {
                tripped(session, client, authUser, k.limit(), "rate " + k.limit().rate + " key " + k.value());
                return refusal;
            }
        }
        keys.forEach(k -> k.limit().count(k.value()));
        return null;
    }

    private void tripped(String session, InetAddress client, String authUser, Limit limit, String detail) {
        limit.tripped.increment();
        if (authUser != null && (limit == messagesPerUser || limit == recipientsPerUser)) {
            LOG.warn("session={} event=rate-limited limit={} user={} client={} detail=\"{}\"", session, limit.name,
                    Sanitize.log(authUser), client.getHostAddress(), detail);
        } else {
            LOG.info("session={} event=rate-limited limit={} client={} detail=\"{}\"", session, limit.name,
                    client.getHostAddress(), Sanitize.text(detail, 120));
        }
    }

    private boolean trusted(InetAddress client) {
        return Network.anyContains(relayNetworks, client);
    }

    private static Network address(InetAddress client) {
        return ConnectionLimiter.address(client);
    }

    private Network network(InetAddress client) {
        return Network.containing(client, ipv4Prefix, ipv6Prefix);
    }
}
