package org.postwerk.screen;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.DnsListSite;
import org.postwerk.config.Network;
import org.postwerk.config.Role;
import org.postwerk.config.ScreenConfig;
import org.postwerk.config.ScreenConfig.GreylistConfig;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.server.Screening;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.MailLog;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestServer;

/** Greylisting as postgrey does it, with a clock the test moves, over real sessions and across a restart. */
class GreylistTest {
    private static final GreylistConfig ON = new GreylistConfig(true, Duration.ofMinutes(5), Duration.ofDays(2),
            Duration.ofDays(35), 5, 100_000, List.of(), List.of());
    private static final Mailbox ALICE = new Mailbox("alice", "example.org");

    @TempDir
    Path data;
    private final ManualClock clock = new ManualClock();
    private final TestDnsServer dns = new TestDnsServer(DnsListTest.ZONES);
    private Screen screen;

    @AfterEach
    void close() throws Exception {
        if (screen != null) {
            screen.close();
        }
        dns.close();
    }

    private Screen screen(GreylistConfig greylist, String... sites) throws Exception {
        ScreenConfig d = ScreenConfig.DEFAULTS;
        screen = new Screen(new ScreenConfig(List.of(sites).stream().map(DnsListSite::parse).toList(), 1, -1,
                Duration.ofSeconds(3), List.of(), Duration.ZERO, greylist),
                new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
                        new DnsCache(Clock.systemUTC(), 1000, Duration.ofHours(1))), clock, data,
                new SimpleMeterRegistry());
        return screen;
    }

    private static SmtpScript from(TestServer server, String client) throws Exception {
        SmtpScript s = server.connect();
        s.raw("PROXY TCP4 " + client + " 127.0.0.1 40000 25\r\n").expect("220 .*");
        s.send("EHLO sender.example").expect("250 .*");
        return s;
    }

    @Test
    void aFirstAttemptWaitsTheDelayAndAcceptedRecipientsStayAccepted() throws Exception {
        try (LogCapture log = new LogCapture(Screen.class.getName()); MailLog mail = MailLog.capture();
             TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(ON)).start()) {
            try (SmtpScript s = from(server, "192.0.2.10")) {
                s.send("MAIL FROM:<news@sender.example>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("450 4\\.7\\.1 Greylisted, please try again in 300 seconds");
                s.send("RCPT TO:<bob@example.org>").expect("450 4\\.7\\.1 .*");
                s.send("DATA").expect("554 5\\.5\\.1 No valid recipients");
            }
            assertThat(mail.lines()).anySatisfy(l -> assertThat(l).contains("rejected session=", "client=192.0.2.10:40000",
                    "command=RCPT", "from=<news@sender.example>", "to=<alice@example.org>",
                    "reply=\"450 4.7.1 Greylisted, please try again in 300 seconds\""));
            clock.advance(Duration.ofMinutes(2));
            try (SmtpScript s = from(server, "192.0.2.10")) {
                s.send("MAIL FROM:<news@sender.example>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("450 4\\.7\\.1 Greylisted, please try again in 180 seconds");
            }
            clock.advance(Duration.ofMinutes(3));
            // Another address of the same /24 retries (a sender's pool): both recipients pass.
            try (SmtpScript s = from(server, "192.0.2.77")) {
                s.send("MAIL FROM:<news@sender.example>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("250 .*");
                s.send("RCPT TO:<bob@example.org>").expect("250 .*");
                s.send("RCPT TO:<carol@example.org>").expect("550 5\\.1\\.1 .*"); // unknown first, never greylisted
            }
            assertThat(log.linesWith("event=greylist")).extracting(l -> l.replaceAll(".*verdict=", ""))
                    .containsExactly("greylisted", "greylisted", "greylisted", "passed", "passed");
        }
    }

    @Test
    void aPassedRecipientIsKeptWhileANewOneInTheSameTransactionWaits() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(ON)).start()) {
            try (SmtpScript s = from(server, "198.51.100.1")) {
                s.send("MAIL FROM:<a@sender.example>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("450 .*");
            }
            clock.advance(Duration.ofMinutes(6));
            try (SmtpScript s = from(server, "198.51.100.1")) {
                s.send("MAIL FROM:<a@sender.example>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("250 .*");
                s.send("RCPT TO:<bob@example.org>").expect("450 4\\.7\\.1 .*");
                s.send("DATA").expect("354 .*").raw("Subject: hi\r\n\r\nhello\r\n.\r\n").expect("250 .*");
            }
            assertThat(server.inbox("alice@example.org")).hasSize(1);
            assertThat(server.inbox("bob@example.org")).isEmpty();
        }
    }

    @Test
    void theStateSurvivesARestart() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(ON)).start();
             SmtpScript s = from(server, "203.0.113.5")) {
            s.send("MAIL FROM:<a@sender.example>").expect("250 .*");
            s.send("RCPT TO:<alice@example.org>").expect("450 .*");
        }
        screen.close(); // a clean stop writes the state
        Path state = data.resolve("greylist/state");
        assertThat(Files.readAllLines(state)).containsExactly("postwerk-greylist 1",
                "t 203.0.113.0/24 " + clock.millis() / 1000 + " " + clock.millis() / 1000
                        + " 0 a@sender.example alice@example.org");
        clock.advance(Duration.ofMinutes(10));
        try (TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(ON)).start();
             SmtpScript s = from(server, "203.0.113.5")) {
            s.send("MAIL FROM:<a@sender.example>").expect("250 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 .*"); // greylisted by the server before the restart
        }
    }

    @Test
    void aBrokenStateFileIsSetAsideNotTrusted() throws Exception {
        Files.createDirectories(data.resolve("greylist"));
        Files.writeString(data.resolve("greylist/state"), "postwerk-greylist 1\nt what\n");
        Greylist g = new Greylist(ON, clock, data.resolve("greylist/state"));
        assertThat(g.size()).isZero();
        assertThat(data.resolve("greylist/state.corrupt")).exists();
    }

    @Test
    void firstAttemptsExpireAfterTheRetryWindowAndPassedOnesAfterMaxAge() throws Exception {
        Greylist g = new Greylist(ON, clock, data.resolve("state"));
        InetAddress c = InetAddress.getByName("192.0.2.1");
        assertThat(g.check(c, "a@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.GREYLISTED);
        clock.advance(Duration.ofDays(3)); // retried too late: a first attempt again
        assertThat(g.check(c, "a@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.GREYLISTED);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(c, "a@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.PASSED);
        clock.advance(Duration.ofDays(30));
        assertThat(g.check(c, "a@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.KNOWN);
        clock.advance(Duration.ofDays(36));
        assertThat(g.check(c, "a@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.GREYLISTED);
    }

    @Test
    void aClientNetworkThatRetriedWellIsWhitelisted() throws Exception {
        Greylist g = new Greylist(new GreylistConfig(true, Duration.ofMinutes(5), Duration.ofDays(2),
                Duration.ofDays(35), 2, 100_000, List.of(), List.of()), clock, data.resolve("state"));
        InetAddress c = InetAddress.getByName("2001:db8:1:2::99");
        for (String sender : List.of("a@x.example", "b@x.example")) {
            g.check(c, sender, "alice@example.org");
            clock.advance(Duration.ofMinutes(5));
            assertThat(g.check(c, sender, "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.PASSED);
        }
        // The same /64, another sender: no wait any more.
        assertThat(g.check(InetAddress.getByName("2001:db8:1:2::1"), "c@y.example", "bob@example.org").verdict())
                .isEqualTo(Greylist.Verdict.WHITELISTED);
        assertThat(g.check(InetAddress.getByName("2001:db8:1:3::1"), "c@y.example", "bob@example.org").verdict())
                .isEqualTo(Greylist.Verdict.GREYLISTED);
    }

    @Test
    void sendersThatChangePerMessageStillMatch() {
        assertThat(Greylist.normalSender("prvs=1234abcd=Bounce-12345@Lists.Example"))
                .isEqualTo("bounce-#@lists.example");
        assertThat(Greylist.normalSender("")).isEqualTo("<>");
    }

    @Test
    void theTableIsBoundedLeastRecentlySeenFirst() throws Exception {
        Greylist g = new Greylist(new GreylistConfig(true, Duration.ofMinutes(5), Duration.ofDays(2),
                Duration.ofDays(35), 5, 100, List.of(), List.of()), clock, data.resolve("state"));
        InetAddress c = InetAddress.getByName("192.0.2.1");
        g.check(c, "keep@x.example", "alice@example.org");
        for (int i = 0; i < 150; i++) {
            clock.advance(Duration.ofSeconds(1));
            g.check(c, "s" + (char) ('a' + i % 26) + (char) ('a' + i / 26) + "@x.example", "alice@example.org");
            if (i == 50) {
                g.check(c, "keep@x.example", "alice@example.org"); // seen again: not the oldest any more
            }
        }
        assertThat(g.size()).isEqualTo(100);
        clock.advance(Duration.ofMinutes(5));
        assertThat(g.check(c, "keep@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.PASSED);
        assertThat(g.check(c, "saa@x.example", "alice@example.org").verdict()).isEqualTo(Greylist.Verdict.GREYLISTED);
    }

    @Test
    void exemptClientsAndRecipientsAreNeverGreylisted() throws Exception {
        Screening s = screen(new GreylistConfig(true, Duration.ofMinutes(5), Duration.ofDays(2), Duration.ofDays(35),
                5, 1000, List.of(Network.parse("198.51.100.0/24")), List.of("postmaster@example.org", "example.net")),
                "bl.example*2", "wl.example*-3");
        Optional<Mailbox> from = Optional.of(new Mailbox("a", "sender.example"));
        InetAddress stranger = InetAddress.getByName("203.0.113.9");
        assertThat(s.open("1", stranger, Role.SMTP, false).atRcpt(null, from, ALICE)).isNotNull();
        assertThat(s.open("2", stranger, Role.SMTP, false).atRcpt("alice@example.org", from, ALICE)).isNull();
        assertThat(s.open("3", stranger, Role.SMTP, true).atRcpt(null, from, ALICE)).isNull();
        assertThat(s.open("4", stranger, Role.SUBMISSION, false).atRcpt(null, from, ALICE)).isNull();
        assertThat(s.open("5", InetAddress.getByName("198.51.100.7"), Role.SMTP, false).atRcpt(null, from, ALICE))
                .isNull();
        assertThat(s.open("6", stranger, Role.SMTP, false)
                .atRcpt(null, from, new Mailbox("PostMaster", "example.org"))).isNull();
        assertThat(s.open("7", stranger, Role.SMTP, false).atRcpt(null, from, new Mailbox("x", "Example.NET"))).isNull();
        // 192.0.2.9 is on the block list (2) and the allow list (-3): -1, allow-listed, so not greylisted.
        Screening.Connection listed = s.open("8", InetAddress.getByName("192.0.2.9"), Role.SMTP, false);
        assertThat(listed.atMail(null, "x.example", from)).isNull();
        assertThat(listed.atRcpt(null, from, ALICE)).isNull();
    }
}
