package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.slf4j.LoggerFactory;

/**
 * Delivery status notifications seen from the outside: the whole server, an unauthenticated client on the MX
 * port, and a sink on loopback standing for the other domains (through [[route]] overrides). Only the public
 * configuration and SMTP are used, so the same test runs against any version of the server.
 */
class DsnEndToEndTest {
    /** What a report adds around the returned part: its header, the explanation and the status fields. */
    static final int REPORT_OVERHEAD = 10_000;

    @TempDir
    Path dir;
    private TestDnsServer dns;
    private SinkServer sink;
    private Postwerk server;
    private final ListAppender<ILoggingEvent> mailLog = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer("nullmx.example. 300 IN MX 0 .\n");
        sink = new SinkServer();
        sink.extensions = List.of("PIPELINING", "SIZE 100000000", "8BITMIME", "SMTPUTF8", "DSN");
        sink.rcptReply = a -> a.endsWith("@fail.example") ? "550 5.1.1 <" + a + ">: no such user" : "250 2.1.5 ok";
        int dead;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = free.getLocalPort(); // free, and closed at once: connections to it are refused
        }
        AccountEditor accounts = TomlServer.alice(dir);
        accounts.addAlias("fwd@example.test", List.of("victim@fail.example"));
        accounts.addAlias("gone@example.test", List.of("x@nullmx.example"));
        accounts.addAlias("slow@example.test", List.of("y@closed.example"));
        Logger log = (Logger) LoggerFactory.getLogger("postwerk.mail");
        mailLog.start();
        log.addAppender(mailLog);
        server = TomlServer.start(dir, "[]", dns, """
                [queue]
                retry = ["1s"]
                max_lifetime = "3s"
                delay_warning = "off"
                [[route]]
                domain = "attacker.example"
                host = "127.0.0.1"
                port = %d
                [[route]]
                domain = "fail.example"
                host = "127.0.0.1"
                port = %d
                [[route]]
                domain = "closed.example"
                host = "127.0.0.1"
                port = %d
                """.formatted(sink.port(), sink.port(), dead));
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger("postwerk.mail")).detachAppender(mailLog);
        server.close();
        dns.close();
        sink.close();
    }

    private SmtpScript client() throws Exception {
        return TomlServer.connect(server, "attacker.example");
    }

    private static void waitFor(BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private List<SinkServer.Message> reportsTo(String address) {
        return sink.messages().stream().filter(m -> m.mail().startsWith("MAIL FROM:<>")
                && m.rcpts().stream().anyMatch(r -> r.contains("<" + address + ">"))).toList();
    }

    /**
     * The reflection attack: a foreign MAIL FROM, a 10 MB header block, every NOTIFY, one local recipient and
     * one that fails. At most the cap (50,000 bytes) of the attacker's text comes back, in the failure report
     * only: no success report for a stranger.
     */
    @Test
    void aForeignSendersReportsCarryAtMostTheCapOfTheOriginal() throws Exception {
        StringBuilder header = new StringBuilder(10_500_000);
        for (int i = 0; header.length() < 10_000_000; i++) {
            header.append("X-Pad-").append(i).append(": ").append("a".repeat(900)).append("\r\n");
        }
        try (SmtpScript s = client()) {
            s.send("MAIL FROM:<attacker@attacker.example> RET=FULL").expect("250 .*");
            s.send("RCPT TO:<alice@example.test> NOTIFY=SUCCESS,FAILURE,DELAY").expect("250 .*");
            s.send("RCPT TO:<fwd@example.test> NOTIFY=SUCCESS,FAILURE,DELAY").expect("250 .*");
            s.send("DATA").expect("354 .*");
            s.raw(header + "Subject: reflect\r\n\r\nbody\r\n.\r\n").expect("250 .*");
        }
        waitFor(() -> server.queue().entries().isEmpty() && !reportsTo("attacker@attacker.example").isEmpty(),
                "the reports");
        List<SinkServer.Message> reports = reportsTo("attacker@attacker.example");
        long bytes = reports.stream().mapToLong(m -> m.content().length).sum();
        System.out.printf("DSN reflection: %d report(s), %d bytes to the foreign sender%n", reports.size(), bytes);
        assertThat(bytes).as("bytes sent to the foreign sender").isLessThanOrEqualTo(50_000 + REPORT_OVERHEAD);
        assertThat(reports).singleElement().satisfies(m -> assertThat(m.text()).contains("Action: failed",
                "Diagnostic-Code: smtp; 550 5.1.1 <victim@fail.example>: no such user",
                "Content-Type: text/rfc822-headers").doesNotContain("Action: delivered"));
    }

    /**
     * Failures we find ourselves (a null MX, a refused connection until the lifetime ends) are not a remote
     * MTA's words: no "host X said", no Remote-MTA, no smtp Diagnostic-Code; dates in +0000; the expired
     * recipient gets its "bounced" line in the mail log.
     */
    @Test
    void failuresWeFindOurselvesAreReportedAsOurs() throws Exception {
        try (SmtpScript s = client()) {
            s.send("MAIL FROM:<sender@attacker.example>").expect("250 .*");
            s.send("RCPT TO:<gone@example.test>").expect("250 .*");
            s.send("RCPT TO:<slow@example.test>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("Subject: local failures\r\n\r\nbody\r\n.\r\n").expect("250 .*");
        }
        waitFor(() -> reportsTo("sender@attacker.example").size() == 2, "two failure reports");
        for (SinkServer.Message m : reportsTo("sender@attacker.example")) {
            String dsn = m.text();
            assertThat(dsn).contains("Action: failed").doesNotContain(" said: ", "Remote-MTA:",
                    "Diagnostic-Code: smtp;", " GMT");
            assertThat(dsn).containsPattern(
                    "\r\nDate: \\w{3}, \\d{1,2} \\w{3} \\d{4} \\d\\d:\\d\\d:\\d\\d \\+0000\r\n");
        }
        assertThat(reportsTo("sender@attacker.example")).anySatisfy(m -> assertThat(m.text())
                .contains("Final-Recipient: rfc822; x@nullmx.example", "Status: 5.1.10"));
        assertThat(reportsTo("sender@attacker.example")).anySatisfy(m -> assertThat(m.text())
                .contains("Final-Recipient: rfc822; y@closed.example", "Status: 4.4.1"));
        waitFor(() -> mailLog.list.stream().anyMatch(e -> e.getFormattedMessage().startsWith("bounced ")
                && e.getFormattedMessage().contains("to=<y@closed.example>")), "a bounced line for the expired one");
        assertThat(mailLog.list).filteredOn(e -> e.getFormattedMessage().startsWith("bounced "))
                .extracting(e -> e.getFormattedMessage().replaceAll(" .*to=", " to=").replaceAll(" relay=.*", ""))
                .contains("bounced to=<x@nullmx.example>", "bounced to=<y@closed.example>");
    }
}
