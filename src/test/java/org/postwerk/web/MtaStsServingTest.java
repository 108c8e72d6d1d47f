package org.postwerk.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postwerk.config.MtaStsConfig;
import org.postwerk.config.Role;
import org.postwerk.config.WebConfig;
import org.postwerk.sts.PolicyFetch;
import org.postwerk.sts.PublishedPolicy;
import org.postwerk.sts.StsPolicy;
import org.postwerk.sts.StsRecord;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.testkit.TestTls;
import org.postwerk.testkit.ZoneResolver;
import org.postwerk.tls.ClientTls;

/** Our own served policy, fetched and parsed by our own fetcher over real HTTPS (RFC 8461 §3.3). */
class MtaStsServingTest {
    static final TestCertificates CA = TestCertificates.ca("Test CA");
    static final MailEndpoints ENDPOINTS = new MailEndpoints("mail.example.org", List.of(), List.of("example.org"),
            Optional.empty());

    final ZoneResolver dns = new ZoneResolver("""
            mta-sts.example.org. 300 IN A 127.0.0.1
            mta-sts.example.net. 300 IN A 127.0.0.1
            """);
    WebServer https;

    @AfterEach
    void stop() {
        if (https != null) {
            https.close();
        }
    }

    PolicyFetch.Result fetch(PublishedPolicy served, String domain) throws IOException {
        var tls = TestTls.server(CA.issueFor("mta-sts.example.org", "mta-sts.example.net"), CA.certificate());
        https = new WebServer(Role.WEB, new InetSocketAddress("127.0.0.1", 0), WebConfig.DEFAULTS, ENDPOINTS, served,
                tls, tls.getDefaultSSLParameters());
        https.start();
        return new PolicyFetch(dns, ClientTls.trusting(List.of(CA.certificate())), https.address().getPort(),
                Duration.ofSeconds(5)).fetch(domain);
    }

    @Test
    void ourPolicyIsFetchedAndParsedByOurFetcher() throws IOException {
        MtaStsConfig config = new MtaStsConfig(true, Optional.empty(), Duration.ofSeconds(5), 10,
                MtaStsConfig.Mode.ENFORCE, List.of("mail.example.org", "*.mx.example.org"), Duration.ofDays(14));
        PublishedPolicy served = PublishedPolicy.of(config, "ignored.example.org");
        assertThat(fetch(served, "example.org")).isEqualTo(new PolicyFetch.Result.Fetched(new StsPolicy(
                StsPolicy.Mode.ENFORCE, List.of("mail.example.org", "*.mx.example.org"), Duration.ofDays(14))));
    }

    @Test
    void onlyForLocalDomains() throws IOException {
        PublishedPolicy served = PublishedPolicy.of(MtaStsConfig.DEFAULTS, "mail.example.org");
        assertThat(fetch(served, "example.net")).isInstanceOfSatisfying(PolicyFetch.Result.Failed.class,
                f -> assertThat(f.reason()).contains("404"));
    }

    @Test
    void defaultIsTestingForTheHostNameAndTheIdFollowsTheContent() {
        PublishedPolicy testing = PublishedPolicy.of(MtaStsConfig.DEFAULTS, "mail.example.org");
        assertThat(testing.policy()).isEqualTo(new StsPolicy(StsPolicy.Mode.TESTING, List.of("mail.example.org"),
                Duration.ofDays(7)));
        assertThat(StsRecord.parse(testing.record())).contains(new StsRecord(testing.id()));
        PublishedPolicy other = PublishedPolicy.of(MtaStsConfig.DEFAULTS, "mx2.example.org");
        assertThat(other.id()).isNotEqualTo(testing.id()).hasSize(32);
        assertThat(PublishedPolicy.of(MtaStsConfig.DEFAULTS, "mail.example.org").id()).isEqualTo(testing.id());
    }
}
