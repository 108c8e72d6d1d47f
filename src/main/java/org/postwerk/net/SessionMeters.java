package org.postwerk.net;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.postwerk.config.Role;

/**
 * The meters of one listener, registered once when it is built so that a session only increments fields:
 * sessions open and total, messages received and their recipients, refusals by command and enhanced status
 * code, failed logins, TLS versions negotiated. Every tag value comes from a small fixed set (the listener's
 * role and address from the configuration, a verb, an enhanced code, a TLS version), so the series stay few
 * whatever clients send.
 */
public final class SessionMeters {
    /** Meters that go nowhere: for listeners built without a registry (tests, tools). */
    public static final SessionMeters NONE = new SessionMeters(new CompositeMeterRegistry(), Role.SMTP,
            new InetSocketAddress(0));

    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicInteger open = new AtomicInteger();
    private final Counter sessions;
    private final Counter received;
    private final Counter recipients;
    private final Counter authFailures;
    private final Counter tls12;
    private final Counter tls13;
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public SessionMeters(MeterRegistry registry, Role role, InetSocketAddress address) {
        this.registry = registry;
        this.tags = Tags.of("listener", role.name().toLowerCase(Locale.ROOT),
                "address", address.getAddress().getHostAddress() + ":" + address.getPort());
        Gauge.builder("postwerk.sessions.open", open, AtomicInteger::get).tags(tags)
                .description("Sessions in progress").register(registry);
        sessions = Counter.builder("postwerk.sessions").tags(tags).description("Connections accepted")
                .register(registry);
        received = Counter.builder("postwerk.messages.received").tags(tags)
                .description("Messages accepted (250 after DATA or BDAT LAST)").register(registry);
        recipients = Counter.builder("postwerk.recipients").tags(tags)
                .description("Recipients of the messages accepted").register(registry);
        authFailures = Counter.builder("postwerk.auth.failures").tags(tags)
                .description("Failed logins (SASL AUTH, IMAP LOGIN)").register(registry);
        tls12 = tlsCounter("TLSv1.2");
        tls13 = tlsCounter("TLSv1.3");
    }

    private Counter tlsCounter(String protocol) {
        return Counter.builder("postwerk.tls.inbound").tags(tags).tag("protocol", protocol)
                .description("TLS handshakes completed by clients, by protocol version").register(registry);
    }

    void opened() {
        sessions.increment();
        open.incrementAndGet();
    }

    void closed() {
        open.decrementAndGet();
    }

    /** A message was accepted for {@code count} recipients. */
    public void received(int count) {
        received.increment();
        recipients.increment(count);
    }

    /**
     * A refusal: {@code stage} is the command (or "connect"), {@code status} the reply's enhanced code. Both
     * come from small fixed sets, so the map stays small; rejections are not the hot path.
     */
    public void rejected(String stage, String status) {
        rejected.computeIfAbsent(stage + ' ' + status, k -> Counter.builder("postwerk.messages.rejected")
                .tags(tags).tag("stage", stage.toLowerCase(Locale.ROOT)).tag("status", status)
                .description("Refusals of a connection or a step of a mail transaction").register(registry))
                .increment();
    }

    public void authFailed() {
        authFailures.increment();
    }

    /** A TLS handshake completed with {@code protocol} (only TLS 1.2 and 1.3 are ever enabled). */
    public void tls(String protocol) {
        ("TLSv1.3".equals(protocol) ? tls13 : "TLSv1.2".equals(protocol) ? tls12 : tlsCounter("other")).increment();
    }
}
