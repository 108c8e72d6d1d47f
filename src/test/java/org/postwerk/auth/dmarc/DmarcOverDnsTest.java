package org.postwerk.auth.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postwerk.auth.dmarc.DmarcResult.Result;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestDnsServer;

/** End to end: DmarcVerifier over the real dnsjava resolver and a DNS server on loopback. */
class DmarcOverDnsTest {
    private final TestDnsServer server = new TestDnsServer(DmarcVerifierTest.ZONE);
    private final DmarcVerifier verifier = new DmarcVerifier(new DnsjavaResolver(List.of(server.address()),
            Duration.ofMillis(200), 1, new DnsCache(new ManualClock(), 1000, Duration.ofMinutes(5))),
            OrganizationalDomains.bundled());

    @AfterEach
    void stop() {
        server.close();
    }

    private DmarcResult check(String from, DkimOutcome... dkim) {
        return verifier.check(new DmarcInput(from, Optional.empty(), List.of(dkim), "message-id:<1@test>"));
    }

    @Test
    void subdomainFallsBackToTheOrganisationalRecord() {
        DmarcResult pass = check("mail.example.com", new DkimOutcome("example.com", "s", DkimOutcome.Result.PASS));
        assertThat(pass.result()).isEqualTo(Result.PASS);
        assertThat(pass.policyDomain()).contains("example.com");
        DmarcResult ghost = check("ghost.example.com");
        assertThat(ghost.result()).isEqualTo(Result.FAIL);
        assertThat(ghost.requested()).contains(Policy.REJECT); // np: the name does not exist
        assertThat(check("www.example.com").requested()).contains(Policy.QUARANTINE); // sp: it has an MX
    }

    @Test
    void twoDmarcRecordsAndNoRecordGiveNone() {
        assertThat(check("multi.example").result()).isEqualTo(Result.NONE);
        assertThat(check("nothing.example").result()).isEqualTo(Result.NONE);
    }

    @Test
    void unansweredQueryIsATemperrorWithinTheResolverBound() {
        server.timeout("_dmarc.slow.example");
        long start = System.nanoTime();
        DmarcResult r = check("slow.example");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.result()).isEqualTo(Result.TEMPERROR);
        assertThat(millis).isLessThan(2_000); // 2 attempts × 200 ms, with slack for a busy machine
    }
}
