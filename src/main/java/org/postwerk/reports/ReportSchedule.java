package org.postwerk.reports;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reports once a day, at 00:00 UTC plus a random delay (RFC 8460 §4.1: spread the load on receivers),
 * and flushes the TLS counts every minute and at {@link #close}. On start the day's run time may already have
 * passed: then the days left unsent (the server was down at the time) go out at the first tick.
 */
public final class ReportSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReportSchedule.class);
    static final Duration TICK = Duration.ofMinutes(1);

    private final DailyReports reports;
    private final TlsReportStore tls; // null: TLS-RPT off
    private final Clock clock;
    private final Duration maxDelay;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("reports").factory());
    private volatile Instant next;

    public ReportSchedule(DailyReports reports, TlsReportStore tls, Clock clock, Duration maxDelay) {
        this.reports = reports;
        this.tls = tls;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.next = runTime(reports.today().atStartOfDay(ZoneOffset.UTC).toInstant());
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::tick, TICK.toSeconds(), TICK.toSeconds(), TimeUnit.SECONDS);
    }

    /** One minute's work; never throws (a thrown exception would end the schedule). */
    void tick() {
        try {
            flush();
            if (!clock.instant().isBefore(next)) {
                reports.run(reports.today(), false);
                next = runTime(reports.today().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
        } catch (RuntimeException e) {
            LOG.warn("reports: {}", e.toString(), e);
        }
    }

    private Instant runTime(Instant midnight) {
        long max = maxDelay.toSeconds();
        return midnight.plusSeconds(max == 0 ? 0 : ThreadLocalRandom.current().nextLong(max));
    }

    private void flush() {
        if (tls == null) {
            return;
        }
        try {
            tls.flush();
        } catch (IOException e) {
            LOG.warn("TLS report data not saved (kept in memory): {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
