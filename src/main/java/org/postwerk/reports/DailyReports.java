package org.postwerk.reports;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.ReportCount;
import org.postwerk.auth.dmarc.ReportUri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds and sends the reports of every finished UTC day that still has data: TLS-RPT per policy domain from
 * the {@link TlsReportStore}, DMARC aggregate per policy domain from the {@link DmarcReportStore}. Data is
 * removed once its report is queued, or when the domain wants no reports; a DNS failure keeps it for the next
 * run (for {@link #KEEP_DAYS} days). A failure here is logged and never reaches mail flow.
 */
public final class DailyReports {
    private static final Logger LOG = LoggerFactory.getLogger(DailyReports.class);
    private static final Logger MAIL_LOG = LoggerFactory.getLogger("postwerk.mail");
    /** How long data waits for a DNS answer before it is given up. */
    static final int KEEP_DAYS = 7;

    /**
     * @param organization organization-name / org_name
     * @param contact      contact-info / email
     * @param submitter    our host name (TLS-Report-Submitter, the DMARC file name's receiver)
     */
    public record Settings(String organization, String contact, String submitter) {}

    /** One line of what a run did or, dry, would do. */
    public record Line(String kind, LocalDate day, String domain, String to, long bytes, String outcome) {
        @Override
        public String toString() {
            return kind + " " + day + " " + domain + " -> " + (to == null ? "-" : to)
                    + (bytes > 0 ? " (" + bytes + " bytes)" : "") + ": " + outcome;
        }
    }

    private final Settings settings;
    private final Destinations destinations;
    private final TlsReportStore tls; // null: TLS-RPT off
    private final DmarcReportStore dmarc; // null: DMARC reports off
    private final ReportMail mail;
    private final Outbox outbox;
    private final Clock clock;

    public DailyReports(Settings settings, Destinations destinations, TlsReportStore tls, DmarcReportStore dmarc,
                        ReportMail mail, Outbox outbox, Clock clock) {
        this.settings = settings;
        this.destinations = destinations;
        this.tls = tls;
        this.dmarc = dmarc;
        this.mail = mail;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Reports every day before {@code today} (UTC) that has data; with {@code dry}, sends and removes nothing. */
    public List<Line> run(LocalDate today, boolean dry) {
        return run(today, d -> d.isBefore(today), dry);
    }

    /** Reports the days with data that {@code days} takes (finished ones only: before {@code today}). */
    public List<Line> run(LocalDate today, java.util.function.Predicate<LocalDate> days, boolean dry) {
        List<Line> lines = new ArrayList<>();
        if (tls != null) {
            for (TlsReportStore.Key k : tls.keys()) {
                if (k.day().isBefore(today) && days.test(k.day())) {
                    guarded(lines, "tls-rpt", k.day(), k.domain(), () -> tlsRpt(k, today, dry, lines));
                }
            }
        }
        if (dmarc != null) {
            try {
                for (LocalDate day : dmarc.days()) {
                    if (day.isBefore(today) && days.test(day)) {
                        for (String domain : dmarc.domains(day)) {
                            guarded(lines, "dmarc", day, domain, () -> dmarc(day, domain, today, dry, lines));
                        }
                    }
                }
            } catch (IOException e) {
                lines.add(new Line("dmarc", today, "-", null, 0, "data unreadable: " + e));
            }
        }
        lines.forEach(l -> LOG.info("report {}", l));
        return lines;
    }

    /** Today, as the reports count days. */
    public LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private interface Step {
        void run() throws IOException;
    }

    private static void guarded(List<Line> lines, String kind, LocalDate day, String domain, Step step) {
        try {
            step.run();
        } catch (IOException | RuntimeException e) {
            // One domain's failure (a full disk, a bug) must not stop the others, nor anything else.
            lines.add(new Line(kind, day, domain, null, 0, "failed, data kept: " + e));
        }
    }

    private void tlsRpt(TlsReportStore.Key k, LocalDate today, boolean dry, List<Line> lines) throws IOException {
        Destinations.Lookup<TlsRptRecord> found = destinations.tlsRpt(k.domain());
        switch (found) {
            case Destinations.Lookup.Later<TlsRptRecord> later -> {
                keepOrDrop(lines, "tls-rpt", k.day(), k.domain(), today, dry, later.why(), () -> tls.remove(k));
                return;
            }
            case Destinations.Lookup.NotWanted<TlsRptRecord> no -> {
                lines.add(new Line("tls-rpt", k.day(), k.domain(), null, 0, "not reported, data dropped: " + no.why()));
                if (!dry) {
                    tls.remove(k);
                }
                return;
            }
            case Destinations.Lookup.Found<TlsRptRecord> f -> {
                String id = reportId("tls-rpt", k.day(), k.domain());
                TlsReport report = new TlsReport(settings.organization(), settings.contact(), id, k.day(), k.domain(),
                        tls.read(k));
                byte[] gz = Gzip.of(report.json().getBytes(StandardCharsets.UTF_8));
                // RFC 8460 §5.1: sender "!" policy-domain "!" begin "!" end ".json.gz"
                String name = settings.submitter() + "!" + k.domain() + "!" + report.begin() + "!" + report.end()
                        + ".json.gz";
                for (java.net.URI uri : f.value().rua()) {
                    if (!"mailto".equalsIgnoreCase(uri.getScheme())) {
                        lines.add(new Line("tls-rpt", k.day(), k.domain(), uri.toString(), gz.length,
                                "skipped: only mailto: is sent to"));
                        continue;
                    }
                    String to = Destinations.mailtoAddress(uri);
                    byte[] msg = mail.tlsRpt(new ReportMail.Attachment(to, k.domain(), id, name, gz), clock.instant());
                    send(lines, "tls-rpt", k.day(), k.domain(), to, msg, dry);
                }
                if (!dry) {
                    tls.remove(k);
                }
            }
        }
    }

    private void dmarc(LocalDate day, String domain, LocalDate today, boolean dry, List<Line> lines)
            throws IOException {
        switch (destinations.dmarc(domain)) {
            case Destinations.Lookup.Later<Destinations.Dmarc> later ->
                    keepOrDrop(lines, "dmarc", day, domain, today, dry, later.why(), () -> dmarc.remove(day, domain));
            case Destinations.Lookup.NotWanted<Destinations.Dmarc> no -> {
                lines.add(new Line("dmarc", day, domain, null, 0, "not reported, data dropped: " + no.why()));
                if (!dry) {
                    dmarc.remove(day, domain);
                }
            }
            case Destinations.Lookup.Found<Destinations.Dmarc> f -> {
                List<ReportCount> rows = dmarc.read(day, domain);
                String id = reportId("dmarc", day, domain);
                DmarcReport report = new DmarcReport(settings.organization(), settings.contact(), id, day, domain,
                        f.value().record(), rows);
                byte[] gz = Gzip.of(report.xml());
                String name = report.fileName(settings.submitter());
                f.value().refused().forEach(r -> lines.add(new Line("dmarc", day, domain, null, 0, "not sent to " + r)));
                for (ReportUri uri : f.value().allowed()) {
                    String to = Destinations.mailtoAddress(uri.uri());
                    byte[] msg = mail.dmarc(new ReportMail.Attachment(to, domain, id, name, gz), clock.instant());
                    // RFC 7489 §6.4/§7.2.1.1: a report larger than the destination's "!size" is not sent there.
                    if (uri.maxBytes().isPresent() && msg.length > uri.maxBytes().getAsLong()) {
                        lines.add(new Line("dmarc", day, domain, to, msg.length, "skipped: larger than the !"
                                + uri.maxBytes().getAsLong() + " bytes the destination accepts"));
                        continue;
                    }
                    send(lines, "dmarc", day, domain, to, msg, dry);
                }
                if (!dry) {
                    dmarc.remove(day, domain);
                }
            }
        }
    }

    private void send(List<Line> lines, String kind, LocalDate day, String domain, String to, byte[] msg, boolean dry)
            throws IOException {
        if (dry) {
            lines.add(new Line(kind, day, domain, to, msg.length, "would be queued"));
            return;
        }
        outbox.send(to, msg);
        MAIL_LOG.info("report kind={} day={} domain={} to=<{}> size={}", kind, day, domain, to, msg.length);
        lines.add(new Line(kind, day, domain, to, msg.length, "queued"));
    }

    private void keepOrDrop(List<Line> lines, String kind, LocalDate day, String domain, LocalDate today, boolean dry,
                            String why, Step drop) throws IOException {
        if (day.isBefore(today.minusDays(KEEP_DAYS))) {
            lines.add(new Line(kind, day, domain, null, 0, "DNS failed for " + KEEP_DAYS + " days, data dropped: " + why));
            if (!dry) {
                drop.run();
            }
        } else {
            lines.add(new Line(kind, day, domain, null, 0, "DNS failed, data kept for the next run: " + why));
        }
    }

    /** The same report always gets the same id, so a report sent twice (a crash after queueing) can be told. */
    private String reportId(String kind, LocalDate day, String domain) {
        return UUID.nameUUIDFromBytes((kind + "!" + settings.submitter() + "!" + domain + "!" + day)
                .getBytes(StandardCharsets.UTF_8)) + "@" + settings.submitter();
    }
}
