package org.postwerk.screen;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.ScreenConfig;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.LogCapture;
import org.postwerk.testkit.MailLog;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestServer;

/** The pregreet test: a client that talks before our greeting is refused; one that waits is greeted. */
class PregreetTest {
    @TempDir
    Path data;
    private final TestDnsServer dns = new TestDnsServer();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Screen screen;

    @AfterEach
    void close() throws Exception {
        if (screen != null) {
            screen.close();
        }
        dns.close();
    }

    private Screen screen(Duration greetWait) throws Exception {
        ScreenConfig d = ScreenConfig.DEFAULTS;
        screen = new Screen(new ScreenConfig(List.of(), 1, -1, d.dnsblTimeout(), List.of(), greetWait, d.greylist()),
                new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(1), 0,
                        new DnsCache(Clock.systemUTC(), 100, Duration.ofHours(1))), Clock.systemUTC(), data, registry);
        return screen;
    }

    @Test
    void aClientThatTalksFirstIsRefusedAndDisconnected() throws Exception {
        try (LogCapture log = new LogCapture(Screen.class.getName()); MailLog mail = MailLog.capture();
             TestServer server = new TestServer(data).screening(screen(Duration.ofMillis(700))).start();
             SmtpScript s = server.connect()) {
            s.raw("EHLO bot.example\r\nMAIL FROM:<bot@bot.example>\r\n"); // more than one byte: all of it is dropped
            s.expect("554 5\\.5\\.1 Protocol error: talking before the greeting");
            assertThat(s.closedByServer()).isTrue();
            assertThat(log.linesWith("event=pregreet")).singleElement().asString().contains("client=127.0.0.1");
            assertThat(mail.lines()).anySatisfy(l -> assertThat(l).startsWith("rejected session=")
                    .contains("client=127.0.0.1:", "reason=pregreet",
                            "reply=\"554 5.5.1 Protocol error: talking before the greeting\""));
            assertThat(registry.get("postwerk.screen.rejected").tag("reason", "pregreet").counter().count())
                    .isEqualTo(1);
        }
    }

    @Test
    void aPatientClientIsGreetedAfterTheWait() throws Exception {
        try (TestServer server = new TestServer(data).screening(screen(Duration.ofMillis(700))).start()) {
            long start = System.nanoTime();
            try (SmtpScript s = server.connect()) {
                s.expect("220 .*");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
                s.send("EHLO patient.example").expect("250 .*");
                s.send("MAIL FROM:<a@patient.example>").expect("250 .*");
            }
        }
    }

    @Test
    void waitsRunSideBySideOnVirtualThreads() throws Exception {
        try (TestServer server = new TestServer(data).screening(screen(Duration.ofSeconds(1))).start();
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<Future<String>> greetings = new ArrayList<>();
            for (int i = 0; i < 15; i++) {
                java.net.InetAddress from = java.net.InetAddress.getByName("127.0.1." + (i + 1));
                Callable<String> greet = () -> {
                    try (SmtpScript s = SmtpScript.connect(server.address(), from)) {
                        return s.reply().getLast();
                    }
                };
                greetings.add(clients.submit(greet));
            }
            for (Future<String> g : greetings) {
                assertThat(g.get()).startsWith("220 ");
            }
            // One after the other they would take 15 s.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void offOrForRelayClientsTheGreetingComesAtOnce() throws Exception {
        try (TestServer server = new TestServer(data).screening(screen(Duration.ZERO)).start();
             SmtpScript s = server.connect()) {
            s.send("EHLO eager.example"); // pipelined before the greeting: not tested when off
            s.expect("220 .*").expect("250.*");
        }
        screen.close();
        try (TestServer server = new TestServer(data).relayNetworks("127.0.0.0/8")
                .screening(screen(Duration.ofSeconds(20))).start(); SmtpScript s = server.connect()) {
            long start = System.nanoTime();
            s.expect("220 .*");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
