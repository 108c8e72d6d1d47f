package org.postwerk.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NetworkTest {
    @ParameterizedTest
    @CsvSource(textBlock = """
            2001:db8:0:0:0:0:0:1, 2001:db8::1
            0:0:0:0:0:0:0:1,      ::1
            1:0:0:0:0:0:0:0,      1::
            2001:db8:0:1:0:0:0:1, 2001:db8:0:1::1
            2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1
            ::ffff:192.0.2.1,     192.0.2.1
            """)
    void writesAddressesAsRfc5952(String in, String out) throws Exception {
        assertThat(Network.text(InetAddress.getByName(in))).isEqualTo(out);
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            192.0.2.0,   24, 192.0.2.200,     true
            192.0.2.0,   25, 192.0.2.200,     false
            0.0.0.0,     0,  203.0.113.9,     true
            192.0.2.0,   24, ::ffff:192.0.2.1, true
            192.0.2.0,   0,  2001:db8::1,     false
            """)
    void matchesIpv4Networks(String net, int prefix, String client, boolean expected) throws Exception {
        Network n = new Network(InetAddress.getByName(net).getAddress(), prefix);
        assertThat(n.contains(InetAddress.getByName(client))).isEqualTo(expected);
    }
}
