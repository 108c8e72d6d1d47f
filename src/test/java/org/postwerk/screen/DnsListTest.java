package org.postwerk.screen;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.DnsListSite;
import org.postwerk.config.Role;
import org.postwerk.config.ScreenConfig;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.dns.Resolver;
import org.postwerk.smtp.Mailbox;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.MailLog;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestServer;

/** DNS block and allow lists (RFC 5782) served by a real DNS server on loopback, and what a client then sees. */
class DnsListTest {
    /** RFC 5782 §5: 127.0.0.2 and ::FFFF:7F00:2 are listed in every list, 127.0.0.1 in none. */
    static final String ZONES = """
            $ORIGIN bl.example.
            @          3600 IN SOA ns hostmaster 1 3600 600 86400 60
            2.0.0.127   600 IN A   127.0.0.2
            2.0.0.127   600 IN TXT "test point"
            2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0 600 IN A 127.0.0.2
            7.2.0.192   600 IN A   127.0.0.4
            9.2.0.192   600 IN A   127.0.0.2
            5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2 600 IN A 127.0.0.3
            8.2.0.192   600 IN A   127.255.255.254
            $ORIGIN wl.example.
            @          3600 IN SOA ns hostmaster 1 3600 600 86400 60
            9.2.0.192   600 IN A   127.0.10.2
            $ORIGIN dbl.example.
            @          3600 IN SOA ns hostmaster 1 3600 600 86400 60
            spam.example 600 IN A 127.0.1.2
            bad-helo.example 600 IN A 127.0.1.2
            """;

    @TempDir
    Path data;
    private final TestDnsServer dns = new TestDnsServer(ZONES);
    private final Resolver resolver = new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
            new DnsCache(Clock.systemUTC(), 1000, Duration.ofHours(1)));
    private Screen screen;

    @AfterEach
    void close() throws Exception {
        if (screen != null) {
            screen.close();
        }
        dns.close();
    }

    private DnsLists lists(String... sites) {
        return new DnsLists(resolver, List.of(sites).stream().map(DnsListSite::parse).toList(), Duration.ofSeconds(3),
                Executors.newVirtualThreadPerTaskExecutor());
    }

    private Screen screen(ScreenConfig config) throws Exception {
        screen = new Screen(config, resolver, Clock.systemUTC(), data, new SimpleMeterRegistry());
        return screen;
    }

    private static ScreenConfig sites(String... sites) {
        ScreenConfig d = ScreenConfig.DEFAULTS;
        return new ScreenConfig(List.of(sites).stream().map(DnsListSite::parse).toList(), 1, -1, Duration.ofSeconds(3),
                List.of(DnsListSite.parse("dbl.example")), d.greetWait(), d.greylist());
    }

    @Test
    void queryNamesAreTheReversedOctetsOrNibbles() throws Exception {
        assertThat(DnsLists.reversed(InetAddress.getByName("192.0.2.99"))).isEqualTo("99.2.0.192");
        // RFC 5782 §2.4's example.
        assertThat(DnsLists.reversed(InetAddress.getByName("2001:db8:1:2:3:4:567:89ab")))
                .isEqualTo("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2");
        assertThat(DnsLists.reversed(testPoint6()))
                .isEqualTo("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0");
    }

    /** ::FFFF:7F00:2 as an IPv6 address (InetAddress.getByName would turn it into IPv4). */
    private static InetAddress testPoint6() throws Exception {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        b[12] = 127;
        b[15] = 2;
        return Inet6Address.getByAddress(null, b, null);
    }

    @Test
    void theTestPointsAreListedAndLoopbackIsNot() throws Exception {
        DnsLists bl = lists("bl.example");
        assertThat(bl.lookup(InetAddress.getByName("127.0.0.2")).await().blocking()).containsExactly("bl.example");
        assertThat(bl.lookup(testPoint6()).await().blocking()).containsExactly("bl.example");
        assertThat(bl.lookup(InetAddress.getByName("127.0.0.1")).await().score()).isZero();
        // Without a filter, Spamhaus-style "you may not ask" answers (127.255.255.x) do not count.
        assertThat(bl.lookup(InetAddress.getByName("192.0.2.8")).await().score()).isZero();
    }

    @Test
    void returnCodeFiltersWeightsAndAllowLists() throws Exception {
        InetAddress code4 = InetAddress.getByName("192.0.2.7"); // answers 127.0.0.4
        assertThat(lists("bl.example=127.0.0.[2..3]").lookup(code4).await().score()).isZero();
        assertThat(lists("bl.example=127.0.0.[2;4]*3").lookup(code4).await().score()).isEqualTo(3);
        assertThat(lists("bl.example=127.0.0.4").lookup(code4).await().score()).isEqualTo(1);
        // 192.0.2.9 is on the block list (weight 2) and on the allow list (weight -3): -1 in all.
        DnsLists.Listing both = lists("bl.example*2", "wl.example=127.0.[0..255].[1..3]*-3")
                .lookup(InetAddress.getByName("192.0.2.9")).await();
        assertThat(both.score()).isEqualTo(-1);
        assertThat(both.blocking()).containsExactly("bl.example");
        assertThat(both.allowing()).containsExactly("wl.example");
    }

    @Test
    void answersAreCachedForTheirTtl() throws Exception {
        DnsLists bl = lists("bl.example", "wl.example");
        bl.lookup(InetAddress.getByName("127.0.0.2")).await();
        bl.lookup(InetAddress.getByName("127.0.0.1")).await(); // NXDOMAIN, cached for the SOA's minimum
        int asked = dns.udpQueries();
        assertThat(asked).isEqualTo(4);
        bl.lookup(InetAddress.getByName("127.0.0.2")).await();
        bl.lookup(InetAddress.getByName("127.0.0.1")).await();
        assertThat(dns.udpQueries()).isEqualTo(asked);
    }

    @Test
    void aSilentListCostsNoMoreThanTheDeadline() throws Exception {
        dns.timeout("2.0.0.127.slow.example");
        DnsLists lists = new DnsLists(resolver, List.of(DnsListSite.parse("slow.example"),
                DnsListSite.parse("bl.example")), Duration.ofMillis(300), Executors.newVirtualThreadPerTaskExecutor());
        long start = System.nanoTime();
        DnsLists.Listing l = lists.lookup(InetAddress.getByName("127.0.0.2")).await();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).isLessThan(1_500); // the resolver alone would wait 2 s
        assertThat(l.unanswered()).containsExactly("slow.example");
        assertThat(l.blocking()).containsExactly("bl.example");
    }

    @Test
    void aListedClientIsRefusedAtMailNamingTheList() throws Exception {
        try (LogCapture log = new LogCapture(Screen.class.getName()); MailLog mail = MailLog.capture();
             TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(sites("bl.example")))
                     .start(); SmtpScript s = server.connect()) {
            s.raw("PROXY TCP4 127.0.0.2 127.0.0.1 40000 25\r\n").expect("220 .*");
            s.send("EHLO listed.example").expect("250 .*");
            s.send("MAIL FROM:<a@example.net>")
                    .expect("554 5\\.7\\.1 Service unavailable; client \\[127\\.0\\.0\\.2\\] blocked using bl\\.example");
            s.send("RCPT TO:<alice@example.org>").expect("503 5\\.5\\.1 .*");
            assertThat(log.linesWith("event=dnsbl")).singleElement().asString()
                    .contains("client=127.0.0.2 score=1 listed-by=bl.example allowed-by= unanswered=");
            assertThat(mail.lines()).anySatisfy(l -> assertThat(l).contains("rejected session=", "client=127.0.0.2:40000",
                    "command=MAIL", "from=<a@example.net>",
                    "reply=\"554 5.7.1 Service unavailable; client [127.0.0.2] blocked using bl.example\""));
        }
    }

    @Test
    void anIpv6ClientIsLookedUpByNibbles() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).screening(screen(sites("bl.example")))
                .start(); SmtpScript s = server.connect()) {
            s.raw("PROXY TCP6 2001:db8::25 ::1 40000 25\r\n").expect("220 .*");
            s.send("EHLO v6.example").expect("250 .*");
            s.send("MAIL FROM:<a@example.net>")
                    .expect("554 5\\.7\\.1 Service unavailable; client \\[2001:db8::25\\] blocked using bl\\.example");
        }
    }

    @Test
    void unlistedAndRelayClientsPassAndLoggedInOnesAreExempt() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).relayNetworks("192.0.2.9/32")
                .screening(screen(sites("bl.example"))).start()) {
            try (SmtpScript s = server.connect()) {
                s.raw("PROXY TCP4 127.0.0.1 127.0.0.1 40000 25\r\n").expect("220 .*");
                s.send("EHLO clean.example").expect("250 .*");
                s.send("MAIL FROM:<a@example.net>").expect("250 .*");
                s.send("RCPT TO:<alice@example.org>").expect("250 .*");
            }
            try (SmtpScript s = server.connect()) {
                s.raw("PROXY TCP4 192.0.2.9 127.0.0.1 40000 25\r\n").expect("220 .*"); // listed, but ours
                s.send("EHLO relay.example").expect("250 .*");
                s.send("MAIL FROM:<a@example.net>").expect("250 .*");
            }
        }
        var listed = screen.open("s1", InetAddress.getByName("127.0.0.2"), Role.SMTP, false);
        assertThat(listed.atMail("alice@example.org", "x.example", Optional.empty())).isNull();
        assertThat(listed.atMail(null, "x.example", Optional.empty())).isNotNull();
    }

    @Test
    void senderAndHeloDomainsAreAskedOfDomainLists() throws Exception {
        try (LogCapture log = new LogCapture(Screen.class.getName());
             TestServer server = new TestServer(data).screening(screen(sites("bl.example"))).start();
             SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO clean.example").expect("250 .*");
            s.send("MAIL FROM:<x@Spam.Example>")
                    .expect("554 5\\.7\\.1 Service unavailable; sender domain spam\\.example blocked using dbl\\.example");
            s.send("MAIL FROM:<x@fine.example>").expect("250 .*");
            s.send("RSET").expect("250 .*");
            s.send("EHLO bad-helo.example").expect("250 .*");
            s.send("MAIL FROM:<x@fine.example>")
                    .expect("554 5\\.7\\.1 Service unavailable; HELO name bad-helo\\.example blocked using dbl\\.example");
            s.send("EHLO [127.0.0.1]").expect("250 .*");
            s.send("MAIL FROM:<>").expect("250 .*");
            assertThat(log.linesWith("event=rhsbl")).hasSize(2);
        }
    }
}
