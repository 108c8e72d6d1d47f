package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR parsing and membership for IPv4, IPv6 and IPv4-mapped IPv6 addresses. Literals only: no DNS. */
class NetworkTest {
    private static InetAddress ip(String literal) {
        return Addresses.literal(literal).orElseThrow();
    }

    /** An IPv4-mapped IPv6 address kept as IPv6, as a dual-stack socket can report it. */
    private static InetAddress mapped(String v4) throws UnknownHostException {
        byte[] b = new byte[16];
        b[10] = (byte) 0xff;
        b[11] = (byte) 0xff;
        System.arraycopy(ip(v4).getAddress(), 0, b, 12, 4);
        return Inet6Address.getByAddress(null, b, null);
    }

    @ParameterizedTest
    @CsvSource({
            "127.0.0.0/8, 127.0.0.1, true", "127.0.0.0/8, 127.255.255.255, true", "127.0.0.0/8, 128.0.0.1, false",
            "192.0.2.7, 192.0.2.7, true", "192.0.2.7, 192.0.2.8, false", "192.0.2.0/25, 192.0.2.127, true",
            "192.0.2.0/25, 192.0.2.128, false", "0.0.0.0/0, 203.0.113.9, true", "0.0.0.0/0, ::1, false",
            "::1/128, ::1, true", "::1/128, ::2, false", "2001:db8::/32, 2001:db8:ffff::1, true",
            "2001:db8::/32, 2001:db9::1, false", "::/0, 2001:db8::1, true", "::/0, 192.0.2.1, false", "::/0, ::ffff:192.0.2.1, false",
            "2001:db8::/33, 2001:db8:7fff::1, true", "2001:db8::/33, 2001:db8:8000::1, false",
            "127.0.0.0/8, ::1, false", "::ffff:0:0/96, 192.0.2.1, true", "::ffff:192.0.2.0/120, 192.0.2.9, true"})
    void contains(String network, String address, boolean inside) {
        assertThat(Network.parse(network).contains(ip(address))).isEqualTo(inside);
    }

    @Test
    void mappedAddressesMatchIpv4Networks() throws UnknownHostException {
        InetAddress m = mapped("127.0.0.1");
        assertThat(m).isInstanceOf(Inet6Address.class);
        assertThat(Network.parse("127.0.0.0/8").contains(m)).isTrue();
        assertThat(Network.parse("10.0.0.0/8").contains(m)).isFalse();
        assertThat(Network.parse("::1/128").contains(m)).isFalse();
        assertThat(Network.parse("::/0").contains(m)).isFalse();
    }

    @Test
    void parseNormalises() {
        assertThat(Network.parse("192.0.2.7")).isEqualTo(new Network(ip("192.0.2.7"), 32));
        assertThat(Network.parse("::1")).isEqualTo(new Network(ip("::1"), 128));
        assertThat(Network.parse(" 10.0.0.0/8 ")).hasToString("10.0.0.0/8");
        assertThat(Network.parse("2001:DB8:0:0::/32")).hasToString("2001:db8::/32");
        // A mapped literal is the IPv4 network it carries.
        assertThat(Network.parse("::ffff:192.0.2.0/120")).isEqualTo(Network.parse("192.0.2.0/24"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "::/129", "example.com", "10.0.0.1/8", "1.2.3.4/x", "/8", "", "1.2.3/24",
            "10.0.0.0/-1", "10.0.0.0/", "2001:db8::1/32", "[::1]/128x", "256.0.0.0/8"})
    void rejects(String text) {
        assertThatThrownBy(() -> Network.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordRejectsImpossiblePrefix() {
        assertThatThrownBy(() -> new Network(ip("10.0.0.0"), 33)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"::1, ::1", "::, ::", "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
            "fe80:0:0:0:0:0:0:0, fe80::", "2001:db8:1:2:3:4:5:6, 2001:db8:1:2:3:4:5:6", "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", "192.0.2.1, 192.0.2.1"})
    void addressTextIsRfc5952(String literal, String text) {
        assertThat(Addresses.text(ip(literal))).isEqualTo(text);
    }
}
