package org.postwerk.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** The schedule: once a day after midnight UTC, counts flushed at every tick, a failing run leaves it alive. */
class ReportScheduleTest {
    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final CapturingOutbox outbox = new CapturingOutbox();

    @Test
    void runsOnceADayAndFlushesTheCountsEachTick() throws Exception {
        TlsReportStore store = new TlsReportStore(dir, clock);
        ZoneResolver dns = new ZoneResolver("""
                $ORIGIN example.com.
                _smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tls@example.com"
                """);
        DailyReports reports = new DailyReports(new DailyReports.Settings("o", "postmaster@mx.test", "mx.test"),
                new Destinations(dns, OrganizationalDomains.bundled()), store, null,
                new ReportMail("noreply-reports@mx.test", "mx.test"), outbox, clock);
        ReportSchedule schedule = new ReportSchedule(reports, store, clock, Duration.ZERO);

        store.success("example.com", TlsReportTest.STS, "mx", "192.0.2.1");
        schedule.tick(); // today's run: nothing finished yet; the count reaches the disk
        assertThat(outbox.sent).isEmpty();
        assertThat(new TlsReportStore(dir, clock).keys()).hasSize(1);

        clock.advance(Duration.ofDays(1));
        schedule.tick();
        assertThat(outbox.sent).extracting(CapturingOutbox.Sent::to).containsExactly("tls@example.com");

        store.success("example.com", TlsReportTest.STS, "mx", "192.0.2.1");
        clock.advance(Duration.ofHours(1));
        schedule.tick(); // the same day: no second run
        assertThat(outbox.sent).hasSize(1);

        dns.timeout("_smtp._tls.example.com");
        clock.advance(Duration.ofDays(1));
        schedule.tick(); // DNS fails: the data stays for the next run
        assertThat(outbox.sent).hasSize(1);
        assertThat(store.keys()).hasSize(1);
    }
}
