package org.postwerk.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;

/** The real dnsjava path against {@link TestDnsServer} on loopback UDP and TCP. */
class DnsjavaResolverTest {
    static final String ZONE = """
            $ORIGIN example.org.
            $TTL 600
            @        IN SOA ns hostmaster 1 3600 600 86400 120
            @        IN MX 10 mx
            @        IN TXT "v=spf1 " "mx -all"
            mx       IN A 192.0.2.25
            mx       IN AAAA 2001:db8::25
            www      IN CNAME mx
            loop1    IN CNAME loop2
            loop2    IN CNAME loop1
            xn--bcher-kva IN A 192.0.2.80
            quoted   IN TXT "say \\"hi\\" \\\\ " "bye"
            25.2.0.192.in-addr.arpa. IN PTR mx.example.org.
            """;

    private final TestDnsServer server = new TestDnsServer(ZONE);
    private final ManualClock clock = new ManualClock();
    private final Resolver dns = resolver(Duration.ofMillis(300), 1);

    private DnsjavaResolver resolver(Duration timeout, int retries) {
        return new DnsjavaResolver(List.of(server.address()), timeout, retries,
                new DnsCache(clock, 1000, Duration.ofMinutes(5)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void answersOverUdp() throws Exception {
        assertThat(dns.mx("example.org")).isEqualTo(
                new DnsAnswer.Found<>(List.of(new MxHost(10, "mx.example.org")), Duration.ofSeconds(600)));
        assertThat(dns.txt("example.org").recordsOrEmpty()).containsExactly("v=spf1 mx -all");
        assertThat(dns.aaaa("mx.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("2001:db8::25"));
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.25")).recordsOrEmpty()).containsExactly("mx.example.org");
        assertThat(server.tcpQueries()).isZero();
    }

    @Test
    void txtKeepsQuotesAndBackslashesAsText() {
        assertThat(dns.txt("quoted.example.org").recordsOrEmpty()).containsExactly("say \"hi\" \\ bye");
    }

    @Test
    void mapsNegativeAnswers() {
        assertThat(dns.a("nope.example.org")).isInstanceOf(DnsAnswer.NxDomain.class);
        assertThat(dns.a("example.org")).isInstanceOf(DnsAnswer.NoData.class);
        assertThat(dns.a("not..valid")).isInstanceOf(DnsAnswer.NxDomain.class);
    }

    @Test
    void followsCnameChainsAndReportsLoops() throws Exception {
        assertThat(dns.a("www.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.25"));
        assertThat(dns.a("loop1.example.org")).isInstanceOf(DnsAnswer.TempError.class);
    }

    @Test
    void queriesInternationalNamesAsALabels() throws Exception {
        assertThat(dns.a("bücher.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.80"));
    }

    @Test
    void retriesTruncatedAnswersOverTcp() {
        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            big.append("big.example.org. 300 IN TXT \"record number ").append(i).append(" padding padding\"\n");
        }
        server.add(big.toString());
        assertThat(dns.txt("big.example.org").recordsOrEmpty()).hasSize(40);
        assertThat(server.tcpQueries()).isEqualTo(1);
    }

    @Test
    void serverFailureIsTemporaryAndRetried() {
        server.serverFailure("mx.example.org");
        assertThat(dns.a("mx.example.org")).isInstanceOf(DnsAnswer.TempError.class);
        assertThat(server.udpQueries()).isEqualTo(2); // first attempt plus one retry
    }

    @Test
    void timeoutIsTemporaryAndBounded() {
        server.timeout("example.org");
        Resolver patient = resolver(Duration.ofMillis(200), 2);
        long start = System.nanoTime();
        DnsAnswer<String> answer = patient.txt("example.org");
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).isInstanceOf(DnsAnswer.TempError.class);
        assertThat(elapsedMillis).isBetween(550L, 3000L);
    }

    @Test
    void failsOverToTheNextServer() throws Exception {
        try (TestDnsServer dead = new TestDnsServer()) {
            dead.timeout("mx.example.org").timeout("www.example.org");
            Resolver two = new DnsjavaResolver(List.of(dead.address(), server.address()), Duration.ofMillis(200), 1,
                    new DnsCache(clock, 1000, Duration.ofMinutes(5)));
            // Attempts rotate, so one of these starts at the dead server and one at the live one.
            assertThat(two.a("mx.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.25"));
            assertThat(two.a("www.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.25"));
            assertThat(dead.udpQueries()).isEqualTo(1);
        }
    }

    @Test
    void cachesUntilTheTtlRunsOut() {
        dns.mx("example.org");
        clock.advance(Duration.ofSeconds(599));
        DnsAnswer<MxHost> cached = dns.mx("example.org");
        assertThat(server.udpQueries()).isEqualTo(1);
        assertThat(cached).isEqualTo(
                new DnsAnswer.Found<>(List.of(new MxHost(10, "mx.example.org")), Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(1));
        dns.mx("example.org");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void cachesNegativeAnswersForTheSoaMinimum() {
        dns.a("nope.example.org");
        clock.advance(Duration.ofSeconds(119));
        assertThat(dns.a("nope.example.org")).isInstanceOf(DnsAnswer.NxDomain.class);
        assertThat(server.udpQueries()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        dns.a("nope.example.org");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void capsNegativeTtl() {
        Resolver capped = new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(300), 0,
                new DnsCache(clock, 1000, Duration.ofSeconds(10)));
        capped.a("nope.example.org");
        clock.advance(Duration.ofSeconds(10));
        capped.a("nope.example.org");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void doesNotCacheTemporaryErrors() {
        server.serverFailure("mx.example.org");
        Resolver once = resolver(Duration.ofMillis(300), 0);
        once.a("mx.example.org");
        once.a("mx.example.org");
        assertThat(server.udpQueries()).isEqualTo(2);
    }

    @Test
    void boundedCacheKeepsRecentEntries() {
        DnsCache cache = new DnsCache(clock, 2, Duration.ofMinutes(5));
        Resolver small = new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(300), 0, cache);
        small.a("mx.example.org");
        small.aaaa("mx.example.org");
        small.mx("example.org");
        assertThat(cache.size()).isEqualTo(2);
        small.mx("example.org");
        assertThat(server.udpQueries()).isEqualTo(3);
        small.a("mx.example.org"); // evicted as least recently used
        assertThat(server.udpQueries()).isEqualTo(4);
    }

    @Test
    void manyVirtualThreadsAtOnce() throws Exception {
        Resolver uncached = new DnsjavaResolver(List.of(server.address()), Duration.ofSeconds(2), 1,
                new DnsCache(clock, 1, Duration.ofSeconds(1)));
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<DnsAnswer<InetAddress>>> results = IntStream.range(0, 200)
                    .mapToObj(i -> pool.submit(() -> uncached.a(i % 2 == 0 ? "mx.example.org" : "www.example.org")))
                    .toList();
            for (Future<DnsAnswer<InetAddress>> f : results) {
                assertThat(f.get().recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.25"));
            }
        }
    }
}
