package org.postwerk.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.postwerk.queue.DsnDuty;
import org.postwerk.smtp.Reply;

/** A destination earns a series of its own by its volume, and never more than the top set do. */
class DeliveryMetersTest {
    private static final Hop REMOTE = new Hop("mx.example", "192.0.2.1", "TLSv1.3");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeliveryMeters meters = new DeliveryMeters(registry, 2);

    @Test
    void busyDomainsGetTheirOwnSeriesOneOffsCountAsOther() {
        for (int i = 0; i < 1000; i++) {
            meters.attempt("spam" + i + ".example", sent(REMOTE)); // a thousand one-off domains
        }
        for (int i = 0; i < 3 * DeliveryMeters.PROMOTE_AFTER; i++) {
            meters.attempt("big.example", sent(REMOTE));
        }
        meters.attempt("local.example", sent(Hop.LOCAL));

        assertThat(count("big.example", "sent")).isEqualTo(2 * DeliveryMeters.PROMOTE_AFTER + 1);
        assertThat(count("other", "sent")).isEqualTo(1000 + DeliveryMeters.PROMOTE_AFTER - 1);
        assertThat(count("local", "sent")).isEqualTo(1);
        assertThat(registry.find("postwerk.delivery.attempts").counters()).hasSize(3 * 4);
    }

    @Test
    void theTopSetIsBounded() {
        for (String domain : new String[] {"a.example", "b.example", "c.example"}) {
            for (int i = 0; i < 2 * DeliveryMeters.PROMOTE_AFTER; i++) {
                meters.attempt(domain, sent(REMOTE));
            }
        }

        assertThat(registry.find("postwerk.delivery.attempts").tag("destination", "c.example").counters()).isEmpty();
        assertThat(registry.find("postwerk.delivery.attempts").counters()).hasSize(4 * 4); // local, other, a, b
    }

    private static Outcome sent(Hop hop) {
        return new Outcome.Delivered(Outcome.ours(Reply.of(250, 2, 0, 0, "ok")), hop, DsnDuty.FINAL);
    }

    private double count(String destination, String result) {
        Counter c = registry.find("postwerk.delivery.attempts").tag("destination", destination).tag("result", result)
                .counter();
        return c == null ? 0 : c.count();
    }
}
