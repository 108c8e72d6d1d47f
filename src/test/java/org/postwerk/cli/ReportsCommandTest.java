package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dmarc.Disposition;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.ReportRow;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;
import picocli.CommandLine;

/** {@code postwerk reports send} on a data folder without a server, over a DNS server on loopback. */
class ReportsCommandTest {
    @TempDir
    Path dir;
    private final TestDnsServer dns = new TestDnsServer("""
            $ORIGIN example.com.
            _dmarc IN TXT "v=DMARC1; p=none; rua=mailto:agg@example.com"
            """);
    private final StringWriter out = new StringWriter();

    @AfterEach
    void stop() {
        dns.close();
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new PostwerkCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        return cli.execute(args);
    }

    @Test
    void dryRunShowsThenSendQueuesAndRemovesTheData() throws Exception {
        Path config = dir.resolve("postwerk.toml");
        Files.writeString(config, "hostname = \"mx.test\"\ndata_dir = \"data\"\n[dns]\nservers = [\"127.0.0.1:"
                + dns.address().getPort() + "\"]\n");
        Path data = dir.resolve("data");
        try (DmarcReportStore store = new DmarcReportStore(data.resolve("dmarc"),
                new ManualClock(Instant.parse("2026-11-30T08:00:00Z")), Duration.ofSeconds(1))) {
            store.record(new ReportRow("example.com", InetAddress.getByName("192.0.2.1"), "example.com",
                    Disposition.ACCEPT, true, true, Optional.of("example.com mfrom pass"), List.of()));
        }

        assertThat(run("reports", "send", "--config", config.toString(), "--date", "2026-11-29")).isZero();
        assertThat(out.toString()).contains("no finished day with report data");

        assertThat(run("reports", "send", "--config", config.toString(), "--dry-run")).isZero();
        assertThat(out.toString()).contains("dmarc 2026-11-30 example.com -> agg@example.com (").contains("would be queued");
        assertThat(data.resolve("queue")).doesNotExist();

        assertThat(run("reports", "send", "--config", config.toString())).isZero();
        assertThat(out.toString()).contains("dmarc 2026-11-30 example.com -> agg@example.com (").contains("): queued");
        try (Stream<Path> files = Files.walk(data.resolve("queue"))) {
            assertThat(files.filter(Files::isRegularFile).map(Path::toString))
                    .anySatisfy(f -> assertThat(f).endsWith(".eml"));
        }
        assertThat(data.resolve("dmarc/2026-11-30")).doesNotExist();
    }
}
