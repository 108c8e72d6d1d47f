package org.postwerk.auth.spf;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;

/**
 * The same RFC 7208 suite as {@link SpfSuiteTest}, but every scenario served by {@link TestDnsServer} and read
 * through {@link DnsjavaResolver} over loopback UDP/TCP, so the production DNS path (wire format, TXT bytes,
 * CNAMEs, timeouts, cache) meets every case too. Timeouts are short (the suite's TIMEOUT names never answer),
 * but not so short that a loaded machine misses real answers.
 */
class SpfSuiteOverDnsTest {
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.postwerk.auth.spf.SpfSuiteTest#cases")
    void conformsOverTheWire(SpfSuiteTest.Case c) throws Exception {
        try (TestDnsServer server = new TestDnsServer()) {
            SuiteZone.load(c.zonedata(), new SuiteZone.Target(server::add, server::timeout));
            DnsjavaResolver dns = new DnsjavaResolver(List.of(server.address()), Duration.ofMillis(500), 0,
                    new DnsCache(new ManualClock(), 1000, Duration.ofMinutes(5)));
            SpfSuiteTest.assertConforms(c, dns);
        }
    }
}
