package org.postwerk.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivery attempts by result (sent, deferred, bounced, expanded) and destination, and the TLS versions of
 * outbound connections. A destination is the recipient's domain only once it has earned a series of its own:
 * {@value #PROMOTE_AFTER} attempts among the {@value #CANDIDATES} domains most recently counted, and only up to
 * {@code topDomains} such domains; every other attempt counts under {@code other}, and local deliveries under
 * {@code local}. So a flood of one-off domains (a spammer's list, dictionary bounces) cannot grow the
 * number of series, while the few domains that carry most of the mail each get theirs.
 */
public final class DeliveryMeters {
    static final int PROMOTE_AFTER = 10;
    static final int CANDIDATES = 1000;
    private static final String[] RESULTS = {"sent", "deferred", "bounced", "expanded"};
    /** (After the tables it uses.) Meters that go nowhere: for a scheduler built without a registry (tests, tools). */
    public static final DeliveryMeters NONE = new DeliveryMeters(new CompositeMeterRegistry(), 0);

    private final MeterRegistry registry;
    private final int topDomains;
    /** destination, then result index: the counters, registered once per destination. */
    private final Map<String, Counter[]> attempts = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> candidates = new HashMap<>(); // guarded by lock
    private final Counter tls12;
    private final Counter tls13;
    private final Counter plain;

    public DeliveryMeters(MeterRegistry registry, int topDomains) {
        this.registry = registry;
        this.topDomains = topDomains;
        counters("local");
        counters("other");
        tls12 = tls("TLSv1.2");
        tls13 = tls("TLSv1.3");
        plain = tls("none");
    }

    private Counter tls(String protocol) {
        return Counter.builder("postwerk.tls.outbound").tag("protocol", protocol)
                .description("Remote delivery attempts by TLS version (none: plain text)").register(registry);
    }

    private Counter[] counters(String destination) {
        return attempts.computeIfAbsent(destination, d -> {
            Counter[] c = new Counter[RESULTS.length];
            for (int i = 0; i < c.length; i++) {
                c[i] = Counter.builder("postwerk.delivery.attempts").tag("result", RESULTS[i]).tag("destination", d)
                        .description("Delivery attempts, one per recipient").register(registry);
            }
            return c;
        });
    }

    /** One recipient's attempt to {@code domain} ended in {@code outcome}. */
    void attempt(String domain, Outcome outcome) {
        int result = switch (outcome) {
            case Outcome.Delivered d -> 0;
            case Outcome.Deferred d -> 1;
            case Outcome.Failed f -> 2;
            case Outcome.Expanded e -> 3;
        };
        Hop hop = outcome.hop();
        boolean local = hop == Hop.LOCAL || hop == null;
        destination(local ? "local" : domain)[result].increment();
    }

    /** One connection to a remote server, before or after STARTTLS (null protocol: plain text). */
    void connected(String protocol) {
        (protocol == null ? plain : "TLSv1.3".equals(protocol) ? tls13 : "TLSv1.2".equals(protocol) ? tls12
                : tls(protocol.length() > 16 ? "other" : protocol)).increment();
    }

    private Counter[] destination(String domain) {
        Counter[] known = attempts.get(domain);
        if (known != null) {
            return known;
        }
        lock.lock();
        try {
            if (attempts.size() - 2 >= topDomains) {
                return attempts.get("other");
            }
            if (candidates.size() >= CANDIDATES && !candidates.containsKey(domain)) {
                candidates.clear(); // forget the one-offs; busy domains come back at once
            }
            int seen = candidates.merge(domain, 1, Integer::sum);
            if (seen < PROMOTE_AFTER) {
                return attempts.get("other");
            }
            candidates.remove(domain);
            return counters(domain);
        } finally {
            lock.unlock();
        }
    }
}
