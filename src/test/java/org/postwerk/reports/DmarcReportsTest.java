package org.postwerk.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dmarc.Disposition;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.auth.dmarc.ReportRow;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;

/** DMARC aggregate reports from the stored rows, over a real DNS server on loopback. */
class DmarcReportsTest {
    private static final String ZONE = """
            $ORIGIN example.com.
            _dmarc IN TXT "v=DMARC1; p=quarantine; adkim=s; rua=mailto:agg@reports.example.net,mailto:dmarc@example.com!1k"
            $ORIGIN other.org.
            _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:agg@reports.example.net"
            $ORIGIN norua.org.
            _dmarc IN TXT "v=DMARC1; p=reject"
            $ORIGIN reports.example.net.
            example.com._report._dmarc IN TXT "v=DMARC1"
            """;

    @TempDir
    Path dir;
    private final TestDnsServer dns = new TestDnsServer(ZONE);
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final CapturingOutbox outbox = new CapturingOutbox();

    @AfterEach
    void stop() {
        dns.close();
    }

    private DailyReports reports(DmarcReportStore store) {
        Destinations destinations = new Destinations(new DnsjavaResolver(List.of(dns.address()), Duration.ofMillis(500),
                1, new DnsCache(clock, 100, Duration.ofMinutes(5))), OrganizationalDomains.bundled());
        return new DailyReports(new DailyReports.Settings("Postwerk Test", "postmaster@mx.test", "mx.test"),
                destinations, null, store, new ReportMail("noreply-reports@mx.test", "mx.test"), outbox, clock);
    }

    private static ReportRow row(String domain, String ip, boolean spfChecked) throws Exception {
        return new ReportRow(domain, InetAddress.getByName(ip), domain, Disposition.QUARANTINE, false, true,
                spfChecked ? Optional.of(domain + " mfrom pass") : Optional.empty(),
                List.of(domain + " sel1 fail", "esp.example s2 pass"));
    }

    @Test
    void sendsSchemaValidReportsOnlyToConfirmedDestinations() throws Exception {
        try (DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofSeconds(1))) {
            store.record(row("example.com", "192.0.2.1", true));
            store.record(row("example.com", "192.0.2.1", true));
            store.record(row("example.com", "2001:db8::7", false));
            store.record(row("other.org", "192.0.2.9", true));
            store.record(row("norua.org", "192.0.2.9", true));
            clock.advance(Duration.ofDays(1));
            store.record(row("example.com", "192.0.2.3", true)); // today: not reported yet

            List<DailyReports.Line> lines = reports(store).run(LocalDate.parse("2026-12-02"), false);

            // example.com: the external destination has agreed; its own address set a 1 KiB limit the mail exceeds.
            assertThat(outbox.sent).extracting(CapturingOutbox.Sent::to).containsExactly("agg@reports.example.net");
            assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("dmarc@example.com").contains("skipped"));
            // other.org: reports.example.net has no other.org._report._dmarc record, so nothing goes there.
            assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("other.org")
                    .contains("external destination not confirmed"));
            assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("norua.org").contains("not reported"));

            String mail = outbox.sent.getFirst().message();
            assertThat(mail).contains("Subject: Report Domain: example.com Submitter: mx.test Report-ID: <")
                    .contains("Content-Type: application/gzip; name=\"mx.test!example.com!1796083200!1796169599.xml.gz\"");
            byte[] xml = CapturingOutbox.attachment(mail);
            validate(xml);
            String text = new String(xml, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).contains("<source_ip>192.0.2.1</source_ip><count>2</count>")
                    .contains("<source_ip>2001:db8:0:0:0:0:0:7</source_ip><count>1</count>")
                    .contains("<adkim>s</adkim>").contains("<p>quarantine</p>").contains("<sp>quarantine</sp>")
                    .contains("<selector>sel1</selector>");

            // Reported and refused data is gone; today's stays.
            assertThat(store.days()).containsExactly(LocalDate.parse("2026-12-02"));
        }
    }

    @Test
    void dryRunSendsAndRemovesNothing() throws Exception {
        try (DmarcReportStore store = new DmarcReportStore(dir, clock, Duration.ofSeconds(1))) {
            store.record(row("example.com", "192.0.2.1", true));
            List<DailyReports.Line> lines = reports(store).run(LocalDate.parse("2026-12-02"), true);
            assertThat(lines).anySatisfy(l -> assertThat(l.toString()).contains("would be queued"));
            assertThat(outbox.sent).isEmpty();
            assertThat(store.domains(LocalDate.parse("2026-12-01"))).containsExactly("example.com");
        }
    }

    @Test
    void theSchemaRefusesAReportMissingItsSpfResult() throws Exception {
        // The check can fail: a record without auth_results/spf is not a valid report.
        String bad = "<feedback><report_metadata><org_name>o</org_name><email>e</email><report_id>1</report_id>"
                + "<date_range><begin>1</begin><end>2</end></date_range></report_metadata><policy_published>"
                + "<domain>d</domain><p>none</p><sp>none</sp><pct>100</pct><fo>0</fo></policy_published><record><row>"
                + "<source_ip>192.0.2.1</source_ip><count>1</count><policy_evaluated><disposition>none</disposition>"
                + "<dkim>pass</dkim><spf>pass</spf></policy_evaluated></row><identifiers><header_from>d</header_from>"
                + "</identifiers><auth_results></auth_results></record></feedback>";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validate(bad.getBytes()))
                .isInstanceOf(org.xml.sax.SAXException.class);
    }

    static void validate(byte[] xml) throws Exception {
        Validator v = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(DmarcReportsTest.class.getResource("/reports/rfc7489-dmarc.xsd")).newValidator();
        v.validate(new StreamSource(new ByteArrayInputStream(xml)));
    }
}
