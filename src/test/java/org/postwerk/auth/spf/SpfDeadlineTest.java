package org.postwerk.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.ZoneResolver;

/** RFC 7208 §4.6.4: however slow each answer, one check gives up after 20 seconds with temperror. */
class SpfDeadlineTest {
    /** Every query takes three seconds of the test's clock. */
    record SlowResolver(Resolver zone, ManualClock clock) implements Resolver {
        private <T> T slow(T answer) {
            clock.advance(Duration.ofSeconds(3));
            return answer;
        }

        @Override
        public DnsAnswer<String> txt(String name) {
            return slow(zone.txt(name));
        }

        @Override
        public DnsAnswer<InetAddress> a(String name) {
            return slow(zone.a(name));
        }

        @Override
        public DnsAnswer<InetAddress> aaaa(String name) {
            return slow(zone.aaaa(name));
        }

        @Override
        public DnsAnswer<MxHost> mx(String name) {
            return slow(zone.mx(name));
        }

        @Override
        public DnsAnswer<String> ptr(InetAddress address) {
            return slow(zone.ptr(address));
        }
    }

    @Test
    void slowLookupsEndInTempError() throws Exception {
        ZoneResolver zone = new ZoneResolver("""
                $ORIGIN example.com.
                @  IN TXT "v=spf1 a:h1.%{d} a:h2.%{d} a:h3.%{d} a:h4.%{d} a:h5.%{d} a:h6.%{d} a:h7.%{d} a:h8.%{d} -all"
                """);
        for (int i = 1; i <= 8; i++) {
            zone.add("h" + i + ".example.com. IN A 192.0.2." + i);
        }
        ManualClock clock = new ManualClock();
        SpfVerifier spf = new SpfVerifier(new SlowResolver(zone, clock), "mx.receiver.example", clock);
        SpfResult r = spf.check(InetAddress.getByName("203.0.113.1"), "a@example.com", "x.example.com");
        assertThat(r.code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("longer than 20s"));
        assertThat(zone.queries()).isEqualTo(7); // TXT at 3 s, then A lookups until the clock passes 20 s
    }

    @Test
    void sameRecordFailsWhenAnswersAreFast() throws Exception {
        ZoneResolver zone = new ZoneResolver("""
                example.com. IN TXT "v=spf1 a:h1.example.com -all"
                h1.example.com. IN A 192.0.2.1
                """);
        SpfVerifier spf = new SpfVerifier(zone, "mx.receiver.example", new ManualClock());
        assertThat(spf.check(InetAddress.getByName("203.0.113.1"), "a@example.com", "x").code())
                .isEqualTo(SpfResult.Code.FAIL);
    }
}
