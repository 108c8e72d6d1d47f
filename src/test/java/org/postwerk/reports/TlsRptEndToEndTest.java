package org.postwerk.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.delivery.Courier;
import org.postwerk.delivery.LocalCourier;
import org.postwerk.delivery.MxCourier;
import org.postwerk.delivery.MxSettings;
import org.postwerk.delivery.Router;
import org.postwerk.delivery.Scheduler;
import org.postwerk.delivery.SchedulerSettings;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.io.PosixDisk;
import org.postwerk.policy.DkimSigning;
import org.postwerk.queue.Queue;
import org.postwerk.queue.QueueSettings;
import org.postwerk.queue.RetrySchedule;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.client.ClientSettings;
import org.postwerk.smtp.client.ClientTimeouts;
import org.postwerk.store.Maildir;
import org.postwerk.testkit.FakeDirectory;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.tls.TlsResults;
import org.yaml.snakeyaml.Yaml;

/**
 * A day's TLS results become a report mail that goes through the queue, DKIM-signed, over a report-only
 * courier, to the rua's MX: a sink on loopback found through a DNS server on loopback.
 */
class TlsRptEndToEndTest {
    @TempDir
    Path data;

    @Test
    void yesterdaysResultsArriveAtTheRuaAsASignedTlsrptMail() throws Exception {
        ManualClock day = new ManualClock(Instant.parse("2026-12-01T12:00:00Z"));
        TlsReportStore store = new TlsReportStore(data.resolve("tls-rpt"), day);
        store.success("example.com", TlsReportTest.STS, "mx1.mail.example.com", "192.0.2.1");
        store.success("example.com", TlsReportTest.STS, "mx1.mail.example.com", "192.0.2.1");
        store.failure("example.com", TlsReportTest.STS, "mx2.mail.example.com", "192.0.2.2",
                TlsResults.Failure.CERTIFICATE_NOT_TRUSTED, "self-signed");
        store.success("nobody.example", TlsReportTest.STS, "mx.nobody.example", "192.0.2.5"); // no TLS-RPT record

        Path key = new DkimKeys(data).path("mx.test", "rep");
        Files.createDirectories(key.getParent());
        Files.write(key, DkimKeys.pem(DkimKeys.generate(Algorithm.KeyType.ED25519)));
        Mailbox from = new Mailbox("noreply-reports", "mx.test");
        PosixDisk disk = new PosixDisk();
        Courier refuseAll = (env, rcpts, msg) -> { throw new AssertionError("report mail took the ordinary path"); };
        try (TestDnsServer dns = new TestDnsServer("""
                     $ORIGIN example.com.
                     _smtp._tls IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@reports.example.com,https://reports.example.com/tlsrpt"
                     reports IN MX 10 mx.reports
                     mx.reports IN A 127.0.0.1
                     """);
             SinkServer sink = new SinkServer();
             Queue queue = new Queue(data.resolve("queue"), new QueueSettings(RetrySchedule.defaults(), "mx.test",
                     Optional.of(new Mailbox("postmaster", "mx.test"))), Clock.systemUTC(), disk)) {
            DnsjavaResolver resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(500), 1,
                    new DnsCache(Clock.systemUTC(), 100, Duration.ofMinutes(5)));
            try (MxCourier reportMx = new MxCourier(resolver, new MxSettings(new ClientSettings("mx.test",
                         ClientTimeouts.RFC5321), sink.port(), null, Duration.ofSeconds(30)), List.of());
                 Scheduler scheduler = new Scheduler(queue, new Router(new FakeDirectory("mx.test"),
                         new LocalCourier(new Maildir(data.resolve("mail"), "mx.test", disk)),
                         new ReportCourier(from, reportMx, refuseAll)),
                         new SchedulerSettings(10, 5, Duration.ofSeconds(1)), Clock.systemUTC())) {
                scheduler.start();
                DailyReports reports = new DailyReports(new DailyReports.Settings("Postwerk Test",
                        "postmaster@mx.test", "mx.test"), new Destinations(resolver, OrganizationalDomains.bundled()),
                        store, null, new ReportMail(from.toString(), "mx.test"),
                        new Outbox.Queued(queue, from, new DkimSigning(new DkimKeys(data), Clock.systemUTC()),
                                data.resolve("spill")), Clock.systemUTC());

                List<DailyReports.Line> lines = reports.run(LocalDate.parse("2026-12-02"), false);

                assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("https://reports.example.com/tlsrpt")
                        .contains("skipped"));
                assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("nobody.example")
                        .contains("not reported"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (sink.messages().isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
            }
            assertThat(sink.messages()).hasSize(1);
            SinkServer.Message m = sink.messages().getFirst();
            assertThat(m.mail()).contains("noreply-reports@mx.test");
            assertThat(m.rcpts()).containsExactly("RCPT TO:<tlsrpt@reports.example.com>");
            String text = new String(m.content(), StandardCharsets.US_ASCII);
            assertThat(text).startsWith("DKIM-Signature:").contains(" d=mx.test;").contains(" s=rep;")
                    .contains("\r\nTLS-Report-Domain: example.com\r\n")
                    .contains("\r\nTLS-Report-Submitter: mx.test\r\n")
                    .contains("Content-Type: multipart/report; report-type=\"tlsrpt\";")
                    .contains("Content-Type: application/tlsrpt+gzip; name=\"mx.test!example.com!1796083200!1796169599.json.gz\"")
                    .containsPattern("\r\nSubject: Report Domain: example.com Submitter: mx.test Report-ID: <[^>]+>\r\n");
            Map<String, Object> json = new Yaml().load(new String(CapturingOutbox.attachment(text), StandardCharsets.UTF_8));
            TlsReportTest.checkReport(json);
            Map<?, ?> policy = (Map<?, ?>) ((List<?>) json.get("policies")).getFirst();
            assertThat(policy.get("summary")).isEqualTo(Map.of("total-successful-session-count", 2,
                    "total-failure-session-count", 1));
            // Sent data is gone; so is that of a domain that wants no reports.
            assertThat(store.keys()).isEmpty();
            assertThat(new TlsReportStore(data.resolve("tls-rpt"), day).keys()).isEmpty();
        }
    }
}
