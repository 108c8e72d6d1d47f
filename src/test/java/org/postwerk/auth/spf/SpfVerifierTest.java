package org.postwerk.auth.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postwerk.auth.spf.SpfResult.Code;
import org.postwerk.auth.spf.SpfResult.Identity;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;

/** End to end: SpfVerifier over the real dnsjava resolver and a DNS server on loopback. */
class SpfVerifierTest {
    static final String ZONE = """
            $ORIGIN example.com.
            $TTL 300
            @        IN SOA ns hostmaster 1 3600 600 86400 60
            @        IN MX 10 mx
            @        IN TXT "v=spf1 mx ip6:2001:db8:5::/48 include:partner.example.net -all exp=why.example.com"
            why      IN TXT "%{i} may not send for %{d} (asked %{r})"
            mx       IN A 192.0.2.10
            mail     IN A 192.0.2.20
            mail     IN TXT "v=spf1 a -all"
            slow     IN TXT "v=spf1 include:hang.example.net -all"
            broken   IN TXT "v=spf1 include:fail.example.net -all"
            partner.example.net.  IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
            hang.example.net.     IN TXT "v=spf1 +all"
            fail.example.net.     IN TXT "v=spf1 +all"
            """;

    private final TestDnsServer server = new TestDnsServer(ZONE);
    private final SpfVerifier spf = new SpfVerifier(new DnsjavaResolver(List.of(server.address()),
            Duration.ofMillis(250), 1, new DnsCache(new ManualClock(), 1000, Duration.ofMinutes(5))),
            "mx.receiver.example");

    @AfterEach
    void stop() {
        server.close();
    }

    private static InetAddress ip(String text) throws Exception {
        return InetAddress.getByName(text);
    }

    @Test
    void passesForTheMxHostAndRendersHeaders() throws Exception {
        SpfResult r = spf.check(ip("192.0.2.10"), "alice@example.com", "mx.example.com");
        assertThat(r.code()).isEqualTo(Code.PASS);
        assertThat(r.identity()).isEqualTo(Identity.MAILFROM);
        assertThat(r.domain()).isEqualTo("example.com");
        assertThat(r.receivedSpf()).isEqualTo("pass (mx.receiver.example: domain of alice@example.com designates"
                + " 192.0.2.10 as permitted sender) client-ip=192.0.2.10; envelope-from=\"alice@example.com\";"
                + " helo=mx.example.com; receiver=mx.receiver.example; identity=mailfrom");
        assertThat(r.authenticationResults()).isEqualTo("spf=pass smtp.mailfrom=example.com");
    }

    @Test
    void passesThroughIncludeAndIpv6() throws Exception {
        assertThat(spf.check(ip("198.51.100.7"), "bob@example.com", "x.example.net").code()).isEqualTo(Code.PASS);
        SpfResult v6 = spf.check(ip("2001:db8:5:0:0:0:0:1"), "bob@example.com", "x.example.net");
        assertThat(v6.code()).isEqualTo(Code.PASS);
        assertThat(v6.receivedSpf()).contains("designates 2001:db8:5::1 as").contains("client-ip=2001:db8:5::1;");
    }

    @Test
    void failsWithTheDomainsExplanation() throws Exception {
        SpfResult r = spf.check(ip("203.0.113.5"), "bob@example.com", "x.example.net");
        assertThat(r.code()).isEqualTo(Code.FAIL);
        assertThat(r.explanation()).contains("203.0.113.5 may not send for example.com (asked mx.receiver.example)");
        assertThat(r.authenticationResults()).isEqualTo("spf=fail smtp.mailfrom=example.com");
    }

    @Test
    void timeoutIsTempError() throws Exception {
        server.timeout("hang.example.net");
        long start = System.nanoTime();
        SpfResult r = spf.check(ip("203.0.113.5"), "bob@slow.example.com", "x.example.net");
        assertThat(r.code()).isEqualTo(Code.TEMPERROR);
        assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("hang.example.net"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(r.receivedSpf()).startsWith("temperror (mx.receiver.example: temporary error checking")
                .contains("identity=mailfrom; problem=\"TXT lookup for hang.example.net: timeout");
    }

    @Test
    void serverFailureIsTempError() throws Exception {
        server.serverFailure("fail.example.net");
        assertThat(spf.check(ip("203.0.113.5"), "bob@broken.example.com", "x").code()).isEqualTo(Code.TEMPERROR);
    }

    @Test
    void nullSenderChecksHelo() throws Exception {
        SpfResult r = spf.check(ip("192.0.2.20"), null, "mail.example.com");
        assertThat(r.code()).isEqualTo(Code.PASS);
        assertThat(r.identity()).isEqualTo(Identity.HELO);
        assertThat(r.sender()).isEqualTo("postmaster@mail.example.com");
        assertThat(r.authenticationResults()).isEqualTo("spf=pass smtp.helo=mail.example.com");
        assertThat(spf.checkHelo(ip("192.0.2.21"), "mail.example.com").code()).isEqualTo(Code.FAIL);
    }

    @Test
    void noRecordIsNone() throws Exception {
        SpfResult r = spf.check(ip("192.0.2.20"), "bob@nowhere.example.org", "x");
        assertThat(r.code()).isEqualTo(Code.NONE);
        assertThat(r.receivedSpf()).startsWith("none (mx.receiver.example: domain of bob@nowhere.example.org does"
                + " not publish an SPF record)");
    }

    @Test
    void tooManyLookupsIsPermError() throws Exception {
        StringBuilder zone = new StringBuilder("many.example.com. IN TXT \"v=spf1");
        for (int i = 0; i < 11; i++) {
            zone.append("\" \" include:i").append(i).append(".example.com"); // one string each: 255-byte limit
            server.add("i" + i + ".example.com. IN TXT \"v=spf1 -all\"");
        }
        server.add(zone.append(" -all\"").toString());
        SpfResult r = spf.check(ip("192.0.2.99"), "x@many.example.com", "x");
        assertThat(r.code()).isEqualTo(Code.PERMERROR);
        assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("more than 10 DNS lookups"));
    }

    @Test
    void largeTxtSetsComeOverTcp() throws Exception {
        StringBuilder zone = new StringBuilder("big.example.com. IN TXT \"v=spf1 ip4:192.0.2.77 -all\"\n");
        for (int i = 0; i < 30; i++) {
            zone.append("big.example.com. IN TXT \"site-verification=").append("x".repeat(40)).append(i).append("\"\n");
        }
        server.add(zone.toString());
        assertThat(spf.check(ip("192.0.2.77"), "x@big.example.com", "x").code()).isEqualTo(Code.PASS);
        assertThat(server.tcpQueries()).isPositive();
    }
}
