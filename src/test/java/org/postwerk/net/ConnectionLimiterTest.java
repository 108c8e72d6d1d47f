package org.postwerk.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postwerk.config.Limits;
import org.postwerk.config.Network;

/** The counting itself, for addresses no test can connect from (IPv6 beyond ::1, other IPv4 networks). */
class ConnectionLimiterTest {
    private static ConnectionLimiter limiter(int total, int perIp, int perNetwork, int stressPercent, Network... exempt) {
        return new ConnectionLimiter(new Limits(1 << 20, 100, 512, 1000, total, perIp, 30, 3, Duration.ZERO,
                new Limits.PerNetwork(perNetwork, 24, 64), new Limits.Stress(stressPercent, 1)), List.of(exempt));
    }

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void anIpv6ClientIsItsSlash84AndItsNetworkItsSlash64() throws Exception {
        ConnectionLimiter l = limiter(100, 2, 3, 100);
        assertThat(l.tryEnter(ip("2001:db8::1"))).isNull();
        assertThat(l.tryEnter(ip("2001:db8::2"))).isNull();
        assertThat(l.tryEnter(ip("2001:db8::fff:3"))).isEqualTo("Too many connections from your address");
        assertThat(l.tryEnter(ip("2001:db8::1000:0:0:1"))).isNull(); // another /84 of the same /64
        assertThat(l.tryEnter(ip("2001:db8::2000:0:0:1"))).isEqualTo("Too many connections from your network");
        assertThat(l.tryEnter(ip("2001:db8:0:1::1"))).isNull(); // another /64
        l.exit(ip("2001:db8::2"));
        assertThat(l.tryEnter(ip("2001:db8::2000:0:0:1"))).isNull();
        assertThat(l.open()).isEqualTo(4);
    }

    @Test
    void anIpv4ClientIsItsAddressAndItsNetworkItsSlash24() throws Exception {
        ConnectionLimiter l = limiter(100, 1, 2, 100);
        assertThat(l.tryEnter(ip("192.0.2.1"))).isNull();
        assertThat(l.tryEnter(ip("192.0.2.1"))).isEqualTo("Too many connections from your address");
        assertThat(l.tryEnter(ip("192.0.2.2"))).isNull();
        assertThat(l.tryEnter(ip("192.0.2.3"))).isEqualTo("Too many connections from your network");
        assertThat(l.tryEnter(ip("192.0.3.3"))).isNull();
    }

    @Test
    void trustedNetworksCountOnlyTowardsTheTotal() throws Exception {
        ConnectionLimiter l = limiter(3, 1, 1, 100, Network.parse("192.0.2.0/24"));
        assertThat(l.tryEnter(ip("192.0.2.1"))).isNull();
        assertThat(l.tryEnter(ip("192.0.2.1"))).isNull();
        assertThat(l.tryEnter(ip("192.0.2.1"))).isNull();
        assertThat(l.tryEnter(ip("192.0.2.1"))).isEqualTo("Too many connections, try again later");
        l.exit(ip("192.0.2.1"));
        assertThat(l.tryEnter(ip("198.51.100.1"))).isNull();
        assertThat(l.open()).isEqualTo(3);
    }

    @Test
    void stressBeginsAboveTheThresholdAndEndsBelowNineTenthsOfIt() throws Exception {
        ConnectionLimiter l = limiter(20, 20, 20, 50); // stress above 10 open, until 9 or fewer
        for (int i = 1; i <= 10; i++) {
            assertThat(l.tryEnter(ip("192.0." + i + ".1"))).isNull();
        }
        assertThat(l.stressed()).isFalse();
        assertThat(l.tryEnter(ip("192.0.11.1"))).isNull();
        assertThat(l.stressed()).isTrue();
        // Under stress a network that holds a session gets no second one; a network that holds none does.
        assertThat(l.tryEnter(ip("192.0.11.2"))).isEqualTo("Server busy, try again later");
        assertThat(l.tryEnter(ip("192.0.12.1"))).isNull();
        l.exit(ip("192.0.12.1"));
        l.exit(ip("192.0.11.1"));
        assertThat(l.stressed()).isTrue(); // 10 open
        l.exit(ip("192.0.10.1"));
        assertThat(l.stressed()).isFalse(); // 9 open
        assertThat(l.tryEnter(ip("192.0.1.2"))).isNull();
    }

    @Test
    void oneHundredPercentIsNeverStressed() throws Exception {
        ConnectionLimiter l = limiter(2, 2, 2, 100);
        l.tryEnter(ip("192.0.2.1"));
        l.tryEnter(ip("192.0.3.1"));
        assertThat(l.stressed()).isFalse();
    }
}
