package org.postwerk.sts;

import org.postwerk.tls.TlsResults;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.ManualClock;
import org.postwerk.testkit.TestHttpsServer;
import org.postwerk.testkit.TestHttpsServer.Response;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.ZoneResolver;
import org.postwerk.tls.ClientTls;

/** Discovery, refresh and the persisted cache (RFC 8461 §3, §5.1) over a real HTTPS policy server. */
class PoliciesTest {
    static final String ENFORCE = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 3600\n";
    static final String TESTING = "version: STSv1\nmode: testing\nmx: *.example.test\nmax_age: 3600\n";

    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock();
    final TestHttpsServer server = new TestHttpsServer(TestTls.server(PolicyFetchTest.CA.issueFor(
            "mta-sts.example.test", "mta-sts.a.test", "mta-sts.b.test", "mta-sts.c.test"),
            PolicyFetchTest.CA.certificate()));
    final List<String> failures = new ArrayList<>();
    ZoneResolver dns = zone("1");

    @AfterEach
    void stop() {
        server.close();
    }

    static ZoneResolver zone(String id) {
        return new ZoneResolver("mta-sts.example.test. 300 IN A 127.0.0.1\n"
                + "_mta-sts.example.test. 300 IN TXT \"v=STSv1; id=" + id + "\"\n");
    }

    Policies policies(int maxEntries) {
        PolicyFetch fetch = new PolicyFetch(dns, ClientTls.trusting(List.of(PolicyFetchTest.CA.certificate())),
                server.port(), Duration.ofSeconds(5));
        return new Policies(dns, fetch, dir.resolve("mta-sts"), maxEntries, clock, new TlsResults() {
            @Override
            public void success(String domain, Policy policy, String mx, String ip) {}

            @Override
            public void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail) {
                failures.add(domain + " " + type.code());
            }
        });
    }

    @Test
    void fetchedOnceThenAgainWhenTheIdChangesOrMaxAgePasses() {
        server.response = Response.policy(ENFORCE);
        Policies p = policies(10);
        assertThat(p.policy("example.test")).map(StsPolicy::mode).contains(StsPolicy.Mode.ENFORCE);
        assertThat(p.policy("Example.Test")).isPresent();
        assertThat(server.hosts()).hasSize(1);

        dns = zone("2"); // a new id: the policy changed
        server.response = Response.policy(TESTING);
        p = policies(10);
        assertThat(p.policy("example.test")).map(StsPolicy::mode).contains(StsPolicy.Mode.TESTING);
        assertThat(server.hosts()).hasSize(2);

        clock.advance(Duration.ofSeconds(3601)); // max_age passed: fetched again although the id is the same
        assertThat(p.policy("example.test")).isPresent();
        assertThat(server.hosts()).hasSize(3);
    }

    @Test
    void cachedPolicyIsUsedWhenTheFetchOrTheRecordFailsUntilMaxAge() {
        server.response = Response.policy(ENFORCE);
        policies(10).policy("example.test");
        server.response = new Response(500, "text/plain", "down", null, false);
        dns = zone("2");
        Policies p = policies(10);
        assertThat(p.policy("example.test")).map(StsPolicy::mode).contains(StsPolicy.Mode.ENFORCE);
        assertThat(failures).containsExactly("example.test sts-policy-fetch-error");

        dns = new ZoneResolver("mta-sts.example.test. 300 IN A 127.0.0.1\n").serverFailure("_mta-sts.example.test");
        p = policies(10);
        assertThat(p.policy("example.test")).isPresent();
        clock.advance(Duration.ofSeconds(3601));
        assertThat(p.policy("example.test")).isEmpty();
    }

    @Test
    void withoutACachedPolicyAFailedFetchMeansNoPolicy() {
        server.response = new Response(404, "text/plain", "no", null, false);
        assertThat(policies(10).policy("example.test")).isEmpty();
        dns = new ZoneResolver("mta-sts.example.test. 300 IN A 127.0.0.1\n");
        assertThat(policies(10).policy("example.test")).isEmpty(); // no TXT: never fetched
        assertThat(server.hosts()).hasSize(1);
    }

    @Test
    void aRestartRemembersTheEnforcePolicy() {
        server.response = Response.policy(ENFORCE);
        policies(10).policy("example.test");
        server.close();
        assertThat(policies(10).policy("example.test")).map(StsPolicy::mx).contains(List.of("mx.example.test"));
        assertThat(dir.resolve("mta-sts/example.test.policy")).content().startsWith("id: 1\r\nfetched: ");
    }

    @Test
    void modeNoneIsNoPolicyAndLiteralsAreNotLookedUp() {
        server.response = Response.policy("version: STSv1\nmode: none\nmax_age: 3600\n");
        Policies p = policies(10);
        assertThat(p.policy("example.test")).isEmpty();
        assertThat(p.policy("[127.0.0.1]")).isEmpty();
        assertThat(p.policy("../../etc")).isEmpty();
    }

    @Test
    void boundedCacheDropsTheLeastRecentlyUsedFile() throws Exception {
        server.response = Response.policy(TESTING);
        for (String d : List.of("a.test", "b.test", "c.test")) {
            dns.add("mta-sts." + d + ". 300 IN A 127.0.0.1\n_mta-sts." + d + ". 300 IN TXT \"v=STSv1; id=1\"\n");
        }
        Policies p = policies(2);
        p.policy("a.test");
        p.policy("b.test");
        p.policy("c.test");
        try (var files = Files.list(dir.resolve("mta-sts"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("b.test.policy",
                    "c.test.policy");
        }
    }
}
