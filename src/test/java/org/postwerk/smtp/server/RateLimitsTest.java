package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Network;
import org.postwerk.config.RateLimitConfig;
import org.postwerk.config.RateLimitConfig.Rate;
import org.postwerk.config.Role;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;

/**
 * The rate limits over real sockets from loopback addresses, with a manual clock: each limit's reply, that
 * the window slides on, the exemptions, the harvest tarpit, and the log line and meter of a user's limit.
 */
class RateLimitsTest {
    @TempDir
    Path data;
    private final ManualClock clock = new ManualClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private static final RateLimitConfig OFF = new RateLimitConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), true, RateLimitConfig.Harvest.DEFAULT);

    private static Optional<Rate> rate(String text) {
        return Optional.of(Rate.parse(text));
    }

    private RateLimits rates(RateLimitConfig c, String... relay) {
        return new RateLimits(c, List.of(relay).stream().map(Network::parse).toList(), 24, 64, clock, registry);
    }

    private static SmtpScript from(TestServer server, String address) throws IOException {
        return SmtpScript.connect(server.address(), InetAddress.getByName(address));
    }

    private double tripped(String limit) {
        return registry.counter("postwerk.rate.limited", "limit", limit).count();
    }

    @Test
    void connectionsFromOneSlash24AreLimitedPerWindow() throws Exception {
        RateLimitConfig c = new RateLimitConfig(rate("3/1m"), rate("5/1m"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), true, RateLimitConfig.Harvest.DEFAULT);
        try (LogCapture log = new LogCapture(RateLimits.class.getName());
             TestServer server = new TestServer(data).rates(rates(c)).start()) {
            for (int i = 0; i < 3; i++) {
                try (SmtpScript s = from(server, "127.0.8.1")) {
                    s.expect("220 .*").send("QUIT").expect("221 2\\.0\\.0 .*");
                }
            }
            try (SmtpScript s = from(server, "127.0.8.1")) { // a fourth from the same address in the minute
                s.expect("421 4\\.7\\.0 Too many connections, try again later");
                assertThat(s.closedByServer()).isTrue();
            }
            for (int i = 2; i <= 3; i++) {
                try (SmtpScript s = from(server, "127.0.8." + i)) {
                    s.expect("220 .*").send("QUIT").expect("221 .*");
                }
            }
            try (SmtpScript s = from(server, "127.0.8.9")) { // a new address, but its /24 has had five
                s.expect("421 4\\.7\\.0 .*");
            }
            try (SmtpScript s = from(server, "127.0.9.9")) { // another /24
                s.expect("220 .*").send("QUIT").expect("221 .*");
            }
            clock.advance(Duration.ofMinutes(2));
            try (SmtpScript s = from(server, "127.0.8.1")) {
                s.expect("220 .*").send("QUIT").expect("221 .*");
            }
            assertThat(tripped("connections_per_ip")).isEqualTo(1);
            assertThat(tripped("connections_per_network")).isEqualTo(1);
            assertThat(log.linesWith("event=rate-limited limit=connections_per_network client=127.0.8.9")).hasSize(1);
        }
    }

    @Test
    void aFloodOfConnectionsFromOneSlash24StopsAtTheLimit() throws Exception {
        RateLimitConfig c = new RateLimitConfig(Optional.empty(), rate("50/1m"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), true, RateLimitConfig.Harvest.DEFAULT);
        int admitted = 0;
        try (TestServer server = new TestServer(data).rates(rates(c)).start()) {
            for (int i = 0; i < 80; i++) {
                try (SmtpScript s = from(server, "127.0.10." + (i % 250 + 1))) {
                    String greeting = s.reply().getLast();
                    admitted += greeting.startsWith("220 ") ? 1 : 0;
                }
            }
        }
        assertThat(admitted).isEqualTo(50);
    }

    @Test
    void messagesAndRecipientsPerClientGet450AtMailAndRcpt() throws Exception {
        RateLimitConfig c = new RateLimitConfig(Optional.empty(), Optional.empty(), rate("2/1h"), rate("3/1h"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), true, RateLimitConfig.Harvest.DEFAULT);
        try (MailLogCapture mailLog = new MailLogCapture();
             TestServer server = new TestServer(data).rates(rates(c)).start();
             SmtpScript s = from(server, "127.0.11.1")) {
            s.expect("220 .*").send("EHLO client.example").expect("250 .*");
            s.send("MAIL FROM:<x@sender.example>").expect("250 2\\.1\\.0 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 2\\.1\\.5 .*");
            s.send("RCPT TO:<bob@example.org>").expect("250 2\\.1\\.5 .*");
            s.send("RSET").expect("250 .*");
            s.send("MAIL FROM:<x@sender.example>").expect("250 2\\.1\\.0 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 2\\.1\\.5 .*");
            s.send("RCPT TO:<bob@example.org>").expect("450 4\\.7\\.1 Rate limit exceeded, try again later");
            s.send("RSET").expect("250 .*");
            s.send("MAIL FROM:<x@sender.example>").expect("450 4\\.7\\.1 Rate limit exceeded, try again later");
            clock.advance(Duration.ofHours(2));
            s.send("MAIL FROM:<x@sender.example>").expect("250 2\\.1\\.0 .*");
            s.send("RCPT TO:<bob@example.org>").expect("250 2\\.1\\.5 .*");
            assertThat(mailLog.lines()).anyMatch(l -> l.contains("command=RCPT") && l.contains("to=<bob@example.org>")
                    && l.endsWith("reply=\"450 4.7.1 Rate limit exceeded, try again later\""));
        }
    }

    @Test
    void relayNetworksAreExemptFromTheClientLimits() throws Exception {
        RateLimitConfig c = new RateLimitConfig(rate("1/1m"), rate("1/1m"), rate("1/1h"), rate("1/1h"),
                rate("1/1h"), rate("1/1h"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(), true, RateLimitConfig.Harvest.DEFAULT);
        try (TestServer server = new TestServer(data).relayNetworks("127.0.12.0/24")
                .rates(rates(c, "127.0.12.0/24")).start()) {
            for (int i = 0; i < 3; i++) {
                try (SmtpScript s = from(server, "127.0.12.1")) {
                    s.expect("220 .*").send("EHLO relay.example").expect("250 .*");
                    s.send("MAIL FROM:<app@example.org>").expect("250 .*");
                    s.send("RCPT TO:<alice@example.org>").expect("250 .*");
                    s.send("RCPT TO:<bob@example.org>").expect("250 .*");
                }
            }
        }
    }

    @Test
    void theSenderDomainOfOurOwnClientsIsLimitedButAStrangersIsNot() throws Exception {
        RateLimitConfig c = new RateLimitConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                rate("2/1h"), Optional.empty(), List.of(), true, RateLimitConfig.Harvest.DEFAULT);
        try (TestServer server = new TestServer(data).relayNetworks("127.0.13.0/24")
                .rates(rates(c, "127.0.13.0/24")).start();
             SmtpScript own = from(server, "127.0.13.1");
             SmtpScript stranger = from(server, "127.0.14.1")) {
            own.expect("220 .*").send("EHLO app.example").expect("250 .*");
            stranger.expect("220 .*").send("EHLO stranger.example").expect("250 .*");
            for (int i = 0; i < 2; i++) {
                own.send("MAIL FROM:<app@Example.ORG>").expect("250 .*").send("RSET").expect("250 .*");
            }
            own.send("MAIL FROM:<other@example.org>").expect("450 4\\.7\\.1 .*");
            own.send("MAIL FROM:<app@elsewhere.example>").expect("250 .*").send("RSET").expect("250 .*");
            for (int i = 0; i < 5; i++) {
                stranger.send("MAIL FROM:<someone@example.org>").expect("250 .*").send("RSET").expect("250 .*");
            }
            assertThat(tripped("messages_per_sender_domain")).isEqualTo(1);
        }
    }

    @Test
    void unknownRecipientsAreAnsweredEverMoreSlowlyThenTheSessionEnds() throws Exception {
        RateLimitConfig c = new RateLimitConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), true, new RateLimitConfig.Harvest(2,
                        Duration.ofMillis(150), Duration.ofMillis(300), 5, Duration.ofHours(1)));
        try (TestServer server = new TestServer(data).rates(rates(c)).start()) {
            long[] took = new long[5];
            try (SmtpScript s = from(server, "127.0.15.1")) {
                s.expect("220 .*").send("EHLO harvest.example").expect("250 .*");
                s.send("MAIL FROM:<h@harvest.example>").expect("250 .*");
                for (int i = 0; i < 5; i++) {
                    long start = System.nanoTime();
                    s.send("RCPT TO:<guess" + i + "@example.org>").expect("550 5\\.1\\.1 No such user here");
                    took[i] = (System.nanoTime() - start) / 1_000_000;
                }
                s.send("RCPT TO:<alice@example.org>").expect("250 .*"); // a real one is still taken
                s.send("RCPT TO:<guess5@example.org>").expect("421 4\\.7\\.0 Too many unknown recipients, closing connection");
                assertThat(s.closedByServer()).isTrue();
            }
            assertThat(took[0]).isLessThan(120);
            assertThat(took[1]).isLessThan(120);
            assertThat(took[2]).isBetween(150L, 1000L); // the 3rd: 150 ms
            assertThat(took[3]).isBetween(300L, 1200L); // the 4th: 300 ms, the cap
            assertThat(took[4]).isBetween(300L, 1200L);
            try (SmtpScript again = from(server, "127.0.15.1")) { // reconnecting does not start afresh
                again.expect("220 .*").send("EHLO harvest.example").expect("250 .*");
                again.send("MAIL FROM:<h@harvest.example>").expect("250 .*");
                again.send("RCPT TO:<guess6@example.org>").expect("421 4\\.7\\.0 .*");
            }
            assertThat(tripped("harvest")).isEqualTo(2);
        }
    }

    @Test
    void theDelayGrowsWithEachUnknownRecipientUpToItsCap() {
        RateLimitConfig.Harvest h = new RateLimitConfig.Harvest(3, Duration.ofSeconds(1), Duration.ofSeconds(10), 20,
                Duration.ofHours(1));
        assertThat(List.of(1, 3, 4, 5, 12, 13, 19).stream().map(n -> RateLimits.delay(h, n).toSeconds()))
                .containsExactly(0L, 0L, 1L, 2L, 9L, 10L, 10L);
    }

    @Test
    void aFloodFromOneLoggedInUserStopsAtTheDefault500AnHourWithAWarningAndAMeter() throws Exception {
        ServerTls tls = new ServerTls(TlsContexts.selfSigned(data.resolve("tls"), "mx.example.org"),
                Duration.ofSeconds(5));
        int accepted = 0;
        String last = null;
        try (LogCapture log = new LogCapture(RateLimits.class.getName());
             TestServer server = new TestServer(data).tls(tls::wrapServer).authentication(new AnyPassword())
                     .rates(rates(RateLimitConfig.DEFAULTS)).start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION), InetAddress.getByName("127.0.16.1"))) {
            s.expect("220 .*").send("EHLO laptop.example").expect("250 .*");
            s.send("STARTTLS").expect("220 .*");
            s.attach(ClientTls.opportunistic().wrap(s.socket(), "mx.example.org", Duration.ofSeconds(5)));
            s.send("EHLO laptop.example").expect("250 .*");
            s.send("AUTH PLAIN " + Base64.getEncoder().encodeToString("\0alice@example.org\0pw"
                    .getBytes(StandardCharsets.UTF_8))).expect("235 .*");
            for (int i = 0; i < 520; i++) {
                last = s.send("MAIL FROM:<alice@example.org>").reply().getLast();
                if (!last.startsWith("250")) {
                    continue;
                }
                s.send("RCPT TO:<friend" + i + "@remote.example>").expect("250 .*");
                s.send("DATA").expect("354 .*");
                s.send("Subject: " + i + "\r\n\r\nspam " + i + "\r\n.").expect("250 2\\.0\\.0 .*");
                accepted++;
            }
            assertThat(last).isEqualTo("450 4.7.1 Rate limit exceeded, try again later");
            assertThat(accepted).isEqualTo(500);
            assertThat(server.relayed()).hasSize(500);
            assertThat(tripped("messages_per_user")).isEqualTo(20);
            assertThat(log.warnings()).hasSize(20).allMatch(l -> l.contains("event=rate-limited limit=messages_per_user"
                    + " user=alice@example.org client=127.0.16.1"));
        }
    }

    @Test
    void exemptUsersAndTheRelayNetworksWhenConfiguredAreNotCountedPerUser() {
        RateLimitConfig c = new RateLimitConfig(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), rate("1/1h"), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of("newsletter@example.org"), false,
                RateLimitConfig.Harvest.DEFAULT);
        RateLimits r = rates(c, "127.0.17.0/24");
        InetAddress outside = InetAddress.getLoopbackAddress();
        InetAddress inside = address("127.0.17.5");
        assertThat(r.atMail("s", outside, "alice@example.org", Optional.empty())).isNull();
        assertThat(r.atMail("s", outside, "Alice@example.org", Optional.empty())).isEqualTo(RateLimits.RATE);
        assertThat(r.atMail("s", inside, "alice@example.org", Optional.empty())).isNull();
        for (int i = 0; i < 3; i++) {
            assertThat(r.atMail("s", outside, "Newsletter@example.org", Optional.empty())).isNull();
        }
        r.update(new RateLimitConfig(c.connectionsPerIp(), c.connectionsPerNetwork(), c.messagesPerIp(),
                c.recipientsPerIp(), c.messagesPerNetwork(), c.recipientsPerNetwork(), c.messagesPerUser(),
                c.recipientsPerUser(), c.messagesPerSenderDomain(), c.recipientsPerSenderDomain(), List.of(), true,
                c.harvest()), List.of(Network.parse("127.0.17.0/24")));
        assertThat(r.atMail("s", inside, "alice@example.org", Optional.empty())).isEqualTo(RateLimits.RATE);
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Logs in anyone with PLAIN, whatever the password: these tests are about what comes after. */
    private static final class AnyPassword implements Authentication {
        public List<String> mechanisms() {
            return List.of("PLAIN");
        }

        public Exchange begin(String mechanism, InetAddress client) {
            return data -> {
                String[] parts = new String(data, StandardCharsets.UTF_8).split("\0");
                return new Step.Success(parts[1], null);
            };
        }
    }

    /** The operator mail log. */
    private static final class MailLogCapture implements AutoCloseable {
        private final LogCapture capture = new LogCapture("postwerk.mail");

        List<String> lines() {
            return capture.lines();
        }

        public void close() {
            capture.close();
        }
    }
}
