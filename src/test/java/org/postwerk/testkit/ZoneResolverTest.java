package org.postwerk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;

class ZoneResolverTest {
    static final String ZONE = """
            $ORIGIN example.org.
            $TTL 600
            @        IN SOA ns hostmaster 1 3600 600 86400 120
            @        IN MX 10 mx
            @        IN MX 20 mx2.example.net.
            @        IN TXT "v=spf1 " "mx -all"
            mx       IN A 192.0.2.25
            mx       IN AAAA 2001:db8::25
            www      IN CNAME mx
            loop1    IN CNAME loop2
            loop2    IN CNAME loop1
            a.b.deep 300 IN A 192.0.2.7
            xn--bcher-kva IN A 192.0.2.80
            25.2.0.192.in-addr.arpa. IN PTR mx.example.org.
            """;

    private final ZoneResolver dns = new ZoneResolver(ZONE);

    @Test
    void answersRecordsWithTheirTtl() throws Exception {
        assertThat(dns.mx("example.org")).isEqualTo(new DnsAnswer.Found<>(
                java.util.List.of(new MxHost(10, "mx.example.org"), new MxHost(20, "mx2.example.net")),
                Duration.ofSeconds(600)));
        assertThat(dns.txt("example.org").recordsOrEmpty()).containsExactly("v=spf1 mx -all");
        assertThat(dns.aaaa("mx.example.org.").recordsOrEmpty())
                .containsExactly(InetAddress.getByName("2001:db8::25"));
        assertThat(dns.ptr(InetAddress.getByName("192.0.2.25")).recordsOrEmpty()).containsExactly("mx.example.org");
    }

    @Test
    void queriesInternationalNamesAsALabels() throws Exception {
        assertThat(dns.a("bücher.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.80"));
    }

    @Test
    void tellsNxDomainFromNoData() {
        assertThat(dns.a("nope.example.org")).isInstanceOf(DnsAnswer.NxDomain.class);
        assertThat(dns.a("example.org")).isInstanceOf(DnsAnswer.NoData.class);
        // An empty non-terminal exists (RFC 8020): NODATA, not NXDOMAIN.
        assertThat(dns.a("b.deep.example.org")).isInstanceOf(DnsAnswer.NoData.class);
        assertThat(dns.a("bad..name")).isInstanceOf(DnsAnswer.NxDomain.class);
    }

    @Test
    void followsCnamesAndStopsLoops() throws Exception {
        assertThat(dns.a("www.example.org").recordsOrEmpty()).containsExactly(InetAddress.getByName("192.0.2.25"));
        assertThat(dns.a("loop1.example.org")).isInstanceOf(DnsAnswer.TempError.class);
    }

    @Test
    void simulatesFailuresAndCountsQueries() {
        dns.timeout("example.org").serverFailure("mx.example.org");
        assertThat(dns.txt("example.org")).isInstanceOf(DnsAnswer.TempError.class);
        assertThat(dns.a("mx.example.org")).isInstanceOf(DnsAnswer.TempError.class);
        assertThat(dns.a("www.example.org")).isInstanceOf(DnsAnswer.TempError.class);
        assertThat(dns.queries()).isEqualTo(3);
    }

    @Test
    void addsRecordsOneLineAtATime() {
        dns.add("extra.example.org. 300 IN MX 0 .");
        assertThat(dns.mx("extra.example.org").recordsOrEmpty()).containsExactly(new MxHost(0, ""));
    }
}
