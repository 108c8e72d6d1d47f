package org.postwerk.dns;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.Type;

/**
 * Queries sent to the recursive resolvers (cache hits are not queries): latency by record type, and failures
 * by type and kind ({@code timeout}; {@code rcode}: SERVFAIL, REFUSED and the like; {@code network}: any other
 * error). A failure counts once per attempt, so a query that one server fails and the next answers shows
 * both. Types outside A, AAAA, MX, TXT, PTR count as {@code other}.
 */
public final class DnsMeters {
    private static final int[] TYPES = {Type.A, Type.AAAA, Type.MX, Type.TXT, Type.PTR};
    private static final String[] KINDS = {"timeout", "rcode", "network"};
    /** (After the tables it uses.) Meters that go nowhere: for a resolver built without a registry (tests, tools). */
    public static final DnsMeters NONE = new DnsMeters(new CompositeMeterRegistry());
    static final int TIMEOUT = 0;
    static final int RCODE = 1;
    static final int NETWORK = 2;

    private final Timer[] latency = new Timer[TYPES.length + 1];
    private final Counter[][] failures = new Counter[TYPES.length + 1][KINDS.length];

    public DnsMeters(MeterRegistry registry) {
        for (int i = 0; i <= TYPES.length; i++) {
            String type = i < TYPES.length ? Type.string(TYPES[i]) : "other";
            latency[i] = Timer.builder("postwerk.dns.query").tag("type", type)
                    .description("Time until a resolver answered a query")
                    .serviceLevelObjectives(ms(1), ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500),
                            ms(1000), ms(2500), ms(5000))
                    .register(registry);
            for (int k = 0; k < KINDS.length; k++) {
                failures[i][k] = Counter.builder("postwerk.dns.failures").tag("type", type).tag("kind", KINDS[k])
                        .description("Query attempts that got no usable answer").register(registry);
            }
        }
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    private static int index(int type) {
        for (int i = 0; i < TYPES.length; i++) {
            if (TYPES[i] == type) {
                return i;
            }
        }
        return TYPES.length;
    }

    void answered(int type, long nanos) {
        latency[index(type)].record(nanos, TimeUnit.NANOSECONDS);
    }

    void failed(int type, int kind) {
        failures[index(type)][kind].increment();
    }
}
