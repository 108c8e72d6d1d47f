package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.ManualClock;

class DmarcReportStoreTest {
    private static final LocalDate DAY = LocalDate.parse("2026-11-28");

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-28T23:59:00Z"));

    private static ReportRow row(String ip, Disposition disposition) throws Exception {
        return new ReportRow("example.com", InetAddress.getByName(ip), "example.com", disposition, false, true,
                Optional.of("example.com mfrom pass"), List.of("example.com sel fail", "other.net s2 pass"));
    }

    @Test
    void countsEqualRowsPerDayAndDomain() throws Exception {
        try (DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofSeconds(1))) {
            store.record(row("192.0.2.1", Disposition.ACCEPT));
            store.record(row("192.0.2.1", Disposition.ACCEPT));
            store.record(row("2001:db8::1", Disposition.REJECT));
            clock.advance(Duration.ofMinutes(2)); // the next UTC day
            store.record(row("192.0.2.1", Disposition.QUARANTINE));
        }
        DmarcReportStore reader = new DmarcReportStore(dir, clock, Duration.ofSeconds(1));
        assertThat(reader.read(DAY, "example.com")).containsExactly(
                new ReportCount(row("192.0.2.1", Disposition.ACCEPT), 2),
                new ReportCount(row("2001:db8::1", Disposition.REJECT), 1));
        assertThat(reader.read(DAY.plusDays(1), "example.com"))
                .containsExactly(new ReportCount(row("192.0.2.1", Disposition.QUARANTINE), 1));
        assertThat(reader.domains(DAY)).containsExactly("example.com");
        assertThat(reader.domains(DAY.minusDays(1))).isEmpty();
        assertThat(reader.read(DAY, "example.net")).isEmpty();
        assertThat(Files.readString(dir.resolve("2026-11-28/example.com.tsv"))).startsWith("192.0.2.1\texample.com"
                + "\tnone\tfail\tpass\texample.com mfrom pass\texample.com sel fail,other.net s2 pass\n");
    }

    @Test
    void rowsAreReadableBeforeCloseAndAfterAProcessCrash() throws Exception {
        DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofHours(1));
        store.record(row("192.0.2.1", Disposition.ACCEPT));
        // Not closed, not synced: the line is already in the file (the OS has it), so a kill loses nothing.
        assertThat(new DmarcReportStore(dir, clock, Duration.ofHours(1)).read(DAY, "example.com")).hasSize(1);
        store.sync();
        store.close();
    }

    @Test
    void aTornLastLineIsIgnoredAndNotGluedToTheNext() throws Exception {
        Path file = dir.resolve("2026-11-28/example.com.tsv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "192.0.2.9\texample.com\tno", StandardCharsets.UTF_8);
        DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ZERO);
        assertThat(store.read(DAY, "example.com")).isEmpty();
        store.record(row("192.0.2.1", Disposition.ACCEPT));
        store.close();
        Files.writeString(file, "garbage line\n\t\t\n", StandardOpenOption.APPEND);
        assertThat(store.read(DAY, "example.com"))
                .containsExactly(new ReportCount(row("192.0.2.1", Disposition.ACCEPT), 1));
    }

    @Test
    void manyDomainsKeepABoundedNumberOfFilesOpen() throws Exception {
        try (DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofSeconds(1))) {
            for (int i = 0; i < 40; i++) {
                ReportRow r = row("192.0.2.1", Disposition.ACCEPT);
                store.record(new ReportRow("d" + i + ".example", r.source(), r.headerFrom(), r.disposition(),
                        r.dkimAligned(), r.spfAligned(), Optional.empty(), List.of()));
            }
            store.record(new ReportRow("d0.example", InetAddress.getByName("192.0.2.2"), "d0.example",
                    Disposition.ACCEPT, true, true, Optional.empty(), List.of()));
        }
        DmarcReportStore reader = new DmarcReportStore(dir, clock, Duration.ofSeconds(1));
        assertThat(reader.domains(DAY)).hasSize(40);
        assertThat(reader.read(DAY, "d0.example")).hasSize(2);
    }

    @Test
    void policyDomainMustBeAPlainName() {
        DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofSeconds(1));
        assertThatThrownBy(() -> store.read(DAY, "../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rowOfAnEvaluatedMessage() throws Exception {
        DmarcInput input = new DmarcInput("example.com",
                Optional.of(new SpfOutcome("Bounce.Example.com", SpfOutcome.Scope.MFROM, SpfOutcome.Result.PASS)),
                List.of(new DkimOutcome("example.com", "sel", DkimOutcome.Result.FAIL)), "message-id:<1@test>");
        DmarcResult pass = new DmarcResult(DmarcResult.Result.PASS, "example.com", Optional.of("example.com"),
                Optional.empty(), Optional.of(Policy.REJECT), Policy.NONE, false, true, false, Optional.empty());
        InetAddress ip = InetAddress.getByName("192.0.2.7");
        assertThat(ReportRow.of(pass, input, ip, Disposition.ACCEPT)).contains(new ReportRow("example.com", ip,
                "example.com", Disposition.ACCEPT, false, true, Optional.of("bounce.example.com mfrom pass"),
                List.of("example.com sel fail")));
        assertThat(ReportRow.of(DmarcResult.unusableFrom("x"), input, ip, Disposition.ACCEPT)).isEmpty();
    }
}
