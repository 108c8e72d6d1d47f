package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.MtaStsConfig;
import org.postwerk.sts.PublishedPolicy;
import org.postwerk.testkit.TestCertificates;
import picocli.CommandLine;

/** {@code postwerk dns DOMAIN}: the records clients look up, with the configured ports. */
class DnsCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return new CommandLine(new PostwerkCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args);
    }

    @Test
    void srvAndAutoconfigRecordsForTheConfiguredListeners() throws IOException {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, """
                hostname = "mail.example.com"
                local_domains = ["example.com"]
                [[listener]]
                role = "smtp"
                address = "0.0.0.0"
                [[listener]]
                role = "submission"
                address = "0.0.0.0"
                [[listener]]
                role = "submissions"
                address = "0.0.0.0"
                [[listener]]
                role = "imaps"
                address = "0.0.0.0"
                [[listener]]
                role = "pop3s"
                address = "0.0.0.0"
                [[listener]]
                role = "web"
                address = "0.0.0.0"
                """);
        assertThat(run("dns", "Example.com.", "--config", file.toString())).isZero();
        assertThat(out.toString().lines().filter(l -> !l.startsWith(";")).map(l -> l.split(" ;")[0].strip()
                .replaceAll(" +", " "))).containsExactly(
                "example.com. 3600 IN MX 10 mail.example.com.",
                "example.com. 3600 IN TXT \"v=spf1 mx -all\"",
                "_dmarc.example.com. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:postmaster@example.com\"",
                "_smtp._tls.example.com. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:postmaster@example.com\"",
                "autoconfig.example.com. 3600 IN CNAME mail.example.com.",
                "autodiscover.example.com. 3600 IN CNAME mail.example.com.",
                "_autodiscover._tcp.example.com. 3600 IN SRV 0 0 443 mail.example.com.",
                "_imaps._tcp.example.com. 3600 IN SRV 0 1 993 mail.example.com.",
                "_imap._tcp.example.com. 3600 IN SRV 0 0 0 .",
                "_pop3s._tcp.example.com. 3600 IN SRV 20 1 995 mail.example.com.",
                "_pop3._tcp.example.com. 3600 IN SRV 0 0 0 .",
                "_submissions._tcp.example.com. 3600 IN SRV 0 1 465 mail.example.com.",
                "_submission._tcp.example.com. 3600 IN SRV 10 1 587 mail.example.com.",
                "mta-sts.example.com. 3600 IN CNAME mail.example.com.",
                "_mta-sts.example.com. 3600 IN TXT \"v=STSv1; id=" + PublishedPolicy.of(MtaStsConfig.DEFAULTS,
                        "mail.example.com").id() + "\"");
        assertThat(out.toString()).doesNotContain("forward 443").doesNotContain("loopback");
    }

    @Test
    void theDomainIsRequired() {
        assertThat(run("dns")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'DOMAIN'");
    }

    @Test
    void onlyLocalDomains() {
        assertThat(run("dns", "example.net")).isEqualTo(1);
        assertThat(err.toString()).contains("example.net is not one of local_domains [localhost]");
        assertThat(run("dns", "localhost")).isZero();
        assertThat(out.toString()).contains("_imaps._tcp.localhost.", "IN SRV   0 1 2993 localhost.",
                "forward 443 to it", "loopback");
    }

    @Test
    void tlsaRecordPinsTheKeyOfTheConfiguredCertificate() throws Exception {
        TestCertificates cert = TestCertificates.ec("mail.example.com");
        cert.writeCertificate(dir.resolve("cert.pem"));
        cert.writeKey(dir.resolve("key.pem"), TestCertificates.KeyFormat.PKCS8);
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, """
                hostname = "mail.example.com"
                local_domains = ["example.com"]
                [tls]
                certificate = "cert.pem"
                key = "key.pem"
                """);
        assertThat(run("dns", "example.com", "--config", file.toString())).isZero();
        String spki = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(cert.certificate().getPublicKey().getEncoded()));
        assertThat(out.toString().lines().map(l -> l.replaceAll(" +", " ")))
                .contains("_25._tcp.mail.example.com. 3600 IN TLSA 3 1 1 " + spki)
                .anySatisfy(l -> assertThat(l).contains("DANE", "only in a DNSSEC-signed zone"));
    }

    @Test
    void noTlsaRecordBeforeThereIsACertificate() throws IOException {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, "hostname = \"mail.example.com\"\nlocal_domains = [\"example.com\"]\n"
                + "data_dir = \"fresh\"\n");
        assertThat(run("dns", "example.com", "--config", file.toString())).isZero();
        assertThat(out.toString()).doesNotContain("TLSA 3").contains("DANE: no certificate yet");
    }
}
