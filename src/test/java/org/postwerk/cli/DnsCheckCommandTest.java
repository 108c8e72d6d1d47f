package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.testkit.TestDnsServer;
import picocli.CommandLine;

/**
 * {@code postwerk dns check DOMAIN} against a real DNS server on loopback (the configured {@code [dns]} server):
 * records published as printed, published with another text but the same meaning, wrong, and missing.
 */
class DnsCheckCommandTest {
    @TempDir
    Path dir;
    final TestDnsServer dns = new TestDnsServer();
    Path config;
    String dkimText;

    @BeforeEach
    void configure() throws IOException {
        config = dir.resolve("postwerk.toml");
        Files.writeString(config, """
                hostname = "mail.example.com"
                local_domains = ["example.com"]
                [dns]
                servers = ["127.0.0.1:%d"]
                timeout = "2s"
                [[listener]]
                role = "smtp"
                address = "0.0.0.0"
                [[listener]]
                role = "imaps"
                address = "0.0.0.0"
                [[listener]]
                role = "web"
                address = "0.0.0.0"
                """.formatted(dns.address().getPort()));
        KeyPair key = DkimKeys.generate(Algorithm.KeyType.RSA);
        Path file = new DkimKeys(dir.resolve("data")).path("example.com", "s1");
        Files.createDirectories(file.getParent());
        Files.write(file, DkimKeys.pem(key));
        dkimText = DkimKeys.txtRecord(key.getPublic());
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = new CommandLine(new PostwerkCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everyPrintedRecordPublishedAsPrintedIsOk() {
        Run printed = run("dns", "example.com", "--config", config.toString());
        assertThat(printed.exit()).isZero();
        assertThat(printed.out()).contains("s1._domainkey.example.com.");
        dns.add("$ORIGIN example.com.\n" + printed.out()); // the printed lines are zone-file text
        Run check = run("dns", "check", "example.com", "--config", config.toString());
        assertThat(check.lines()).hasSize((int) printed.lines().stream().filter(l -> !l.startsWith(";")).count())
                .allMatch(l -> l.endsWith(": ok"));
        assertThat(check.exit()).isZero();
    }

    @Test
    void sameMeaningIsOkWrongIsDifferentAbsentIsMissing() {
        int half = dkimText.length() / 2;
        dns.add("""
                example.com.               300 IN MX    20 MAIL.example.com.
                example.com.               300 IN MX    30 backup.example.net.
                example.com.               300 IN TXT   "google-site-verification=abc"
                example.com.               300 IN TXT   "V=spf1  MX" " -all"
                s1._domainkey.example.com. 300 IN TXT   "%s" "%s"
                _dmarc.example.com.        300 IN TXT   "v=DMARC1;rua=mailto:postmaster@example.com;  p=none;"
                _smtp._tls.example.com.    300 IN TXT   "v=TLSRPTv1; rua=mailto:tls@elsewhere.example"
                _mta-sts.example.com.      300 IN TXT   "v=STSv1; id=outdated"
                mta-sts.example.com.       300 IN CNAME mail.example.com.
                autoconfig.example.com.    300 IN CNAME Mail.Example.COM.
                _imaps._tcp.example.com.   300 IN SRV   0 1 9993 mail.example.com.
                """.formatted(dkimText.substring(0, half), dkimText.substring(half)));
        Run check = run("dns", "check", "example.com", "--config", config.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.lines()).contains(
                "example.com. MX 10 mail.example.com.: ok",
                "example.com. TXT \"v=spf1 mx -all\": ok",
                "s1._domainkey.example.com. TXT " + DkimKeys.txtStrings(dkimText) + ": ok",
                "_dmarc.example.com. TXT \"v=DMARC1; p=none; rua=mailto:postmaster@example.com\": ok",
                "_smtp._tls.example.com. TXT \"v=TLSRPTv1; rua=mailto:postmaster@example.com\": different "
                        + "(published: \"v=TLSRPTv1; rua=mailto:tls@elsewhere.example\")",
                "mta-sts.example.com. CNAME mail.example.com.: ok",
                "autoconfig.example.com. CNAME mail.example.com.: ok",
                "autodiscover.example.com. CNAME mail.example.com.: missing",
                "_imaps._tcp.example.com. SRV 0 1 993 mail.example.com.: different "
                        + "(published: 0 1 9993 mail.example.com.)",
                "_submissions._tcp.example.com. SRV 0 0 0 .: missing");
        assertThat(check.lines()).filteredOn(l -> l.startsWith("_mta-sts.example.com. TXT")).singleElement()
                .asString().endsWith("different (published: \"v=STSv1; id=outdated\")");
    }

    @Test
    void anMxThatIsNotTheMostPreferredIsDifferent() {
        dns.add("""
                example.com. 300 IN MX 10 mail.example.com.
                example.com. 300 IN MX 5  other.example.net.
                """);
        Run check = run("dns", "check", "example.com", "--config", config.toString());
        assertThat(check.lines()).contains("example.com. MX 10 mail.example.com.: different "
                + "(published: 10 mail.example.com. | 5 other.example.net.)");
    }

    @Test
    void anUnansweredQueryIsUnknownAndNotOk() {
        dns.timeout("_dmarc.example.com.");
        Run check = run("dns", "check", "example.com", "--config", config.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.lines()).filteredOn(l -> l.startsWith("_dmarc.example.com.")).singleElement().asString()
                .contains(": unknown (DNS: ");
    }

    @Test
    void onlyLocalDomains() {
        Run check = run("dns", "check", "example.net", "--config", config.toString());
        assertThat(check.exit()).as(check.err()).isEqualTo(1);
        assertThat(check.err()).contains("example.net is not one of local_domains [example.com]");
    }
}
