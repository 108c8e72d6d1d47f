package org.postwerk.journal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;

/**
 * The journal's two histograms: how long a commit waits until its record is durable (the write plus its share
 * of a group fdatasync), and how many records one fdatasync made durable (the group commit's batch). Bucket
 * bounds are fixed, so a scrape's size does not depend on the traffic.
 */
public final class JournalMeters {
    /** Meters that go nowhere: for a journal built without a registry (tests, tools). */
    public static final JournalMeters NONE = new JournalMeters(new CompositeMeterRegistry());

    private final Timer commit;
    private final DistributionSummary batch;

    public JournalMeters(MeterRegistry registry) {
        commit = Timer.builder("postwerk.journal.commit")
                .description("Time from a record's write until it is durable")
                .serviceLevelObjectives(ms(0.1), ms(0.25), ms(0.5), ms(1), ms(2.5), ms(5), ms(10), ms(25), ms(50),
                        ms(100), ms(250), ms(1000))
                .register(registry);
        batch = DistributionSummary.builder("postwerk.journal.batch")
                .description("Records made durable by one fdatasync (group commit)").baseUnit("records")
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                .register(registry);
    }

    private static Duration ms(double millis) {
        return Duration.ofNanos((long) (millis * 1_000_000));
    }

    void committed(long nanos) {
        commit.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void synced(long records) {
        batch.record(records);
    }
}
