package org.postwerk.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code [screen]} and {@code [greylist]}: postscreen's list syntax, postgrey's settings, every problem named. */
class ScreenSectionTest {
    @TempDir
    Path dir;

    private ScreenConfig parse(String toml) {
        return ConfigLoader.parse(toml, dir, "t.toml").screen();
    }

    private String problems(String toml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(toml)).getMessage();
    }

    @Test
    void everyKeyIsRead() {
        ScreenConfig c = parse("""
                [screen]
                dnsbl_sites = ["zen.example=127.0.0.[2..11]*3", "wl.example=127.0.[0..255].[1;3]*-5", "bl.example"]
                dnsbl_threshold = 3
                dnsbl_allowlist_threshold = -2
                dnsbl_timeout = "2s"
                rhsbl_sites = ["dbl.example=127.0.1.[2..99]"]
                greet_wait = "3s"
                [greylist]
                enabled = true
                delay = "1m"
                retry_window = "1d"
                max_age = "10d"
                auto_whitelist = 0
                max_entries = 500
                exempt_networks = ["192.0.2.0/24"]
                exempt_recipients = ["Example.ORG", "PostMaster@example.net"]
                """);
        assertThat(c.dnsblSites()).extracting(DnsListSite::toString).containsExactly("zen.example=127.0.0.[2..11]*3",
                "wl.example=127.0.[0..255].[1;3]*-5", "bl.example");
        assertThat(c.dnsblSites()).extracting(DnsListSite::weight).containsExactly(3, -5, 1);
        assertThat(List.of(c.dnsblThreshold(), c.dnsblAllowlistThreshold())).containsExactly(3, -2);
        assertThat(c.dnsblTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.greetWait()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.rhsblSites()).singleElement().extracting(DnsListSite::domain).isEqualTo("dbl.example");
        assertThat(c.greylist()).isEqualTo(new ScreenConfig.GreylistConfig(true, Duration.ofMinutes(1),
                Duration.ofDays(1), Duration.ofDays(10), 0, 500, List.of(Network.parse("192.0.2.0/24")),
                List.of("example.org", "postmaster@example.net")));
    }

    @Test
    void theDefaultsAreOff() {
        ScreenConfig c = parse("");
        assertThat(c).isEqualTo(ScreenConfig.DEFAULTS);
        assertThat(c.dnsblSites()).isEmpty();
        assertThat(c.greetWait()).isZero();
        assertThat(c.greylist().enabled()).isFalse();
    }

    @Test
    void filtersMatchOctetByOctet() throws Exception {
        DnsListSite site = DnsListSite.parse("zen.example=127.0.[0;1].[2..11]");
        assertThat(site.matches(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(site.matches(InetAddress.getByName("127.0.1.11"))).isTrue();
        assertThat(site.matches(InetAddress.getByName("127.0.0.12"))).isFalse();
        assertThat(site.matches(InetAddress.getByName("127.0.2.2"))).isFalse();
        DnsListSite any = DnsListSite.parse("bl.example");
        assertThat(any.matches(InetAddress.getByName("127.0.0.2"))).isTrue();
        assertThat(any.matches(InetAddress.getByName("127.255.255.254"))).isFalse();
        assertThat(any.matches(InetAddress.getByName("192.0.2.1"))).isFalse(); // a resolver's ad page
    }

    @Test
    void problemsAreReportedWithTheirLine() {
        String p = problems("""
                [screen]
                dnsbl_sites = ["zen.example=127.0.0", "bl.example*x", "wl.example=127.0.0.[9..2]"]
                dnsbl_allowlist_threshold = 0
                rhsbl_sites = ["dbl.example*2"]
                greet_wait = "2m"
                [greylist]
                delay = "1h"
                retry_window = "30m"
                exempt_recipients = ["@example.org"]
                tripplets = 5
                """);
        assertThat(p).contains("t.toml:2: screen.dnsbl_sites: the filter after \"=\" must have four octets",
                "weight must be an integer", "\"[9..2]\" is not an octet pattern",
                "t.toml:3: screen.dnsbl_allowlist_threshold", "t.toml:4: screen.rhsbl_sites", "t.toml:5: screen.greet_wait",
                "t.toml:8: greylist.retry_window: must be longer than greylist.delay (1h)",
                "t.toml:9: greylist.exempt_recipients", "t.toml:10: greylist.tripplets: unknown key");
    }
}
