package org.postwerk.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.config.Config;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.policy.DkimSigning;
import org.postwerk.reports.DailyReports;
import org.postwerk.reports.Destinations;
import org.postwerk.reports.Outbox;
import org.postwerk.reports.ReportMail;
import org.postwerk.reports.TlsReportStore;
import org.postwerk.service.DataFolder;
import org.postwerk.smtp.AddressParser;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code postwerk reports send [--dry-run] [--date YYYY-MM-DD]}: the daily TLS-RPT and DMARC reports, now, from
 * the data folder, printing one line per destination.
 *
 * <p>Why the data folder and not the running server: the server has no command channel besides signals, and the
 * report data is on disk already (DMARC rows at once, TLS counts within a minute). But a running server holds the
 * TLS counts in memory and sends them itself, so while it runs only {@code --dry-run} is allowed: two senders
 * would report the same day twice. Without a server the reports go into the spool, as sendmail puts mail there,
 * and leave at the next start.
 */
@Command(name = "reports", mixinStandardHelpOptions = true,
        description = "TLS-RPT (RFC 8460) and DMARC aggregate (RFC 7489) reports.",
        subcommands = ReportsCommand.Send.class)
public final class ReportsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Build the reports of finished UTC days with data and queue them (or, dry, show them).")
    static final class Send implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Spec
        CommandSpec spec;

        @Option(names = "--dry-run", description = "Look up the destinations and print what would go where; "
                + "send and remove nothing.")
        boolean dry;

        @Option(names = "--date", paramLabel = "YYYY-MM-DD", description = "Only this UTC day (default: every "
                + "finished day with data).")
        String date;

        @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory; overrides data_dir.")
        Path dataDir;

        @Override
        public Integer call() throws IOException {
            Config c = config.forData(dataDir);
            Path data = dataDir != null ? dataDir : c.dataDir();
            LocalDate only;
            try {
                only = date == null ? null : LocalDate.parse(date);
            } catch (DateTimeParseException e) {
                spec.commandLine().getErr().println("reports: --date must be YYYY-MM-DD, got " + date);
                return 64;
            }
            if (!dry && DataFolder.serverRuns(data)) {
                spec.commandLine().getErr().println("reports: a server runs on " + data + " and sends the reports "
                        + "itself after 00:00 UTC; only --dry-run may look meanwhile");
                return 75;
            }
            DnsjavaResolver dns = new DnsjavaResolver(c.dns().servers().isEmpty() ? DnsjavaResolver.systemServers()
                    : c.dns().servers(), c.dns().timeout(), 1, new DnsCache(Clock.systemUTC(), 1000,
                    Duration.ofHours(1)));
            TlsReportStore tls = c.reports().tlsRpt() ? new TlsReportStore(data.resolve("tls-rpt"), Clock.systemUTC())
                    : null;
            try (DmarcReportStore dmarc = new DmarcReportStore(data.resolve("dmarc"), Clock.systemUTC(),
                    Duration.ofSeconds(5))) {
                DailyReports reports = new DailyReports(new DailyReports.Settings(c.reports().organizationIn(c),
                        c.reports().contactIn(c), c.hostname()),
                        new Destinations(dns, OrganizationalDomains.from(c.auth().publicSuffixList())), tls,
                        c.reports().dmarcIn(c) ? dmarc : null, new ReportMail(c.reports().fromIn(c), c.hostname()),
                        new Outbox.Spooled(data, AddressParser.parseMailbox(c.reports().fromIn(c)),
                                new DkimSigning(new DkimKeys(data), Clock.systemUTC())), Clock.systemUTC());
                List<DailyReports.Line> lines = reports.run(reports.today(),
                        d -> only == null || d.equals(only), dry);
                lines.forEach(l -> spec.commandLine().getOut().println(l));
                if (lines.isEmpty()) {
                    spec.commandLine().getOut().println("no finished day with report data");
                }
                return 0;
            } catch (AddressParser.SyntaxError e) {
                spec.commandLine().getErr().println("reports: reports.from: " + e.getMessage());
                return PostwerkCommand.EX_CONFIG;
            }
        }
    }
}
