package org.postwerk.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.ManualClock;
import org.postwerk.tls.TlsResults;
import org.yaml.snakeyaml.Yaml;

/** The TLS-RPT JSON against the structure of RFC 8460 §4.4, and the counts surviving a restart. */
class TlsReportTest {
    static final TlsResults.Policy STS = new TlsResults.Policy(TlsResults.Policy.Type.STS,
            List.of("version: STSv1", "mode: enforce", "mx: *.mail.example.com", "max_age: 86400"),
            List.of("*.mail.example.com"));

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));

    @Test
    void countsPerDayAndPolicySurviveARestartAfterFlush() throws Exception {
        TlsReportStore store = new TlsReportStore(dir, clock);
        store.success("Example.COM.", STS, "mx1.mail.example.com", "192.0.2.1");
        store.success("example.com", STS, "mx1.mail.example.com", "192.0.2.1");
        store.failure("example.com", STS, "mx2.mail.example.com", "192.0.2.2",
                TlsResults.Failure.CERTIFICATE_EXPIRED, "expired\tcertificate, 3 days");
        store.failure("example.com", TlsResults.Policy.NONE, null, null, TlsResults.Failure.STS_POLICY_FETCH_ERROR,
                "HTTP 404");
        store.flush();
        store.success("example.com", STS, "mx1.mail.example.com", "192.0.2.1"); // not flushed: lost at a crash

        TlsReportStore again = new TlsReportStore(dir, clock);
        TlsReportStore.Key key = new TlsReportStore.Key(LocalDate.parse("2026-12-01"), "example.com");
        assertThat(again.keys()).containsExactly(key);
        assertThat(again.read(key)).containsExactly(
                new TlsTotals(STS, 2, 1, List.of(new TlsTotals.Detail(TlsResults.Failure.CERTIFICATE_EXPIRED,
                        "mx2.mail.example.com", "192.0.2.2", "expired\tcertificate, 3 days", 1))),
                new TlsTotals(TlsResults.Policy.NONE, 0, 1, List.of(new TlsTotals.Detail(
                        TlsResults.Failure.STS_POLICY_FETCH_ERROR, null, null, "HTTP 404", 1))));

        again.remove(key);
        assertThat(new TlsReportStore(dir, clock).keys()).isEmpty();
    }

    @Test
    void aNewUtcDayCountsSeparately() throws Exception {
        TlsReportStore store = new TlsReportStore(dir, clock);
        store.success("example.com", STS, "mx1", "192.0.2.1");
        clock.advance(Duration.ofDays(1));
        store.success("example.com", STS, "mx1", "192.0.2.1");
        assertThat(store.keys()).extracting(TlsReportStore.Key::day)
                .containsExactly(LocalDate.parse("2026-12-01"), LocalDate.parse("2026-12-02"));
    }

    @Test
    void theReportHasTheFieldsAndTypesOfRfc8460() throws Exception {
        TlsReportStore store = new TlsReportStore(dir, clock);
        store.success("example.com", STS, "mx1.mail.example.com", "192.0.2.1");
        store.failure("example.com", STS, "mx2.mail.example.com", "2001:db8::2",
                TlsResults.Failure.CERTIFICATE_HOST_MISMATCH, "no name \"mx2\" in the certificate");
        store.failure("example.com", TlsResults.Policy.NONE, null, null, TlsResults.Failure.STS_POLICY_FETCH_ERROR, "");
        TlsReport report = new TlsReport("Postwerk Test", "postmaster@mx.test", "id-1@mx.test",
                LocalDate.parse("2026-12-01"), "example.com",
                store.read(new TlsReportStore.Key(LocalDate.parse("2026-12-01"), "example.com")));
        Map<String, Object> json = new Yaml().load(report.json());
        checkReport(json);
        assertThat(json).containsEntry("organization-name", "Postwerk Test").containsEntry("report-id", "id-1@mx.test");
        assertThat(json.get("date-range")).isEqualTo(Map.of("start-datetime", "2026-12-01T00:00:00Z",
                "end-datetime", "2026-12-01T23:59:59Z"));
        List<?> policies = (List<?>) json.get("policies");
        Map<?, ?> sts = (Map<?, ?>) policies.get(0);
        assertThat(sts.get("summary")).isEqualTo(Map.of("total-successful-session-count", 1,
                "total-failure-session-count", 1));
        assertThat(object(((List<?>) sts.get("failure-details")).get(0)))
                .containsEntry("result-type", "certificate-host-mismatch")
                .containsEntry("receiving-ip", "2001:db8::2")
                .containsEntry("failure-reason-code", "no name \"mx2\" in the certificate");
        assertThat(object(object(policies.get(1)).get("policy"))).containsEntry("policy-type", "no-policy-found");
    }

    @Test
    void theStructureCheckCanFail() {
        assertThatThrownBy(() -> checkReport(Map.of("organization-name", "x"))).isInstanceOf(AssertionError.class);
        Map<String, Object> wrongType = new Yaml().load("""
                {"organization-name":"o","date-range":{"start-datetime":"a","end-datetime":"b"},"contact-info":"c",
                 "report-id":"r","policies":[{"policy":{"policy-type":"sts","policy-domain":"d"},
                 "summary":{"total-successful-session-count":"1","total-failure-session-count":0}}]}""");
        assertThatThrownBy(() -> checkReport(wrongType)).isInstanceOf(AssertionError.class);
    }

    /**
     * RFC 8460 §4.4 as checks: each object has the required members with their JSON types, and only members the
     * RFC names (a misspelt field name is an error, not an extension).
     */
    static void checkReport(Map<String, Object> r) {
        members(r, Set.of("organization-name", "date-range", "contact-info", "report-id", "policies"), Set.of());
        assertThat(r.get("organization-name")).isInstanceOf(String.class);
        assertThat(r.get("contact-info")).isInstanceOf(String.class);
        assertThat(r.get("report-id")).isInstanceOf(String.class);
        Map<String, Object> range = object(r.get("date-range"));
        members(range, Set.of("start-datetime", "end-datetime"), Set.of());
        assertThat((String) range.get("start-datetime")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat((String) range.get("end-datetime")).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z");
        assertThat(r.get("policies")).isInstanceOf(List.class);
        for (Object p : (List<?>) r.get("policies")) {
            Map<String, Object> entry = object(p);
            members(entry, Set.of("policy", "summary"), Set.of("failure-details"));
            Map<String, Object> policy = object(entry.get("policy"));
            members(policy, Set.of("policy-type", "policy-domain"), Set.of("policy-string", "mx-host"));
            assertThat(policy.get("policy-type")).isIn("tlsa", "sts", "no-policy-found");
            assertThat(policy.get("policy-domain")).isInstanceOf(String.class);
            strings(policy.get("policy-string"));
            strings(policy.get("mx-host"));
            Map<String, Object> summary = object(entry.get("summary"));
            members(summary, Set.of("total-successful-session-count", "total-failure-session-count"), Set.of());
            assertThat(summary.values()).allSatisfy(v -> assertThat(v).isInstanceOf(Integer.class));
            if (entry.containsKey("failure-details")) {
                for (Object d : (List<?>) entry.get("failure-details")) {
                    Map<String, Object> detail = object(d);
                    members(detail, Set.of("result-type", "failed-session-count"), Set.of("sending-mta-ip",
                            "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip", "additional-information",
                            "failure-reason-code"));
                    assertThat(detail.get("result-type")).isIn(java.util.Arrays.stream(TlsResults.Failure.values())
                            .map(TlsResults.Failure::code).toList());
                    assertThat(detail.get("failed-session-count")).isInstanceOf(Integer.class);
                    detail.forEach((k, v) -> assertThat(k.equals("failed-session-count") || v instanceof String)
                            .as(k).isTrue());
                }
            }
        }
    }

    private static void members(Map<String, Object> o, Set<String> required, Set<String> optional) {
        assertThat(o.keySet()).containsAll(required);
        assertThat(o.keySet()).allSatisfy(k -> assertThat(required.contains(k) || optional.contains(k)).as(k).isTrue());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object o) {
        assertThat(o).isInstanceOf(Map.class);
        return (Map<String, Object>) o;
    }

    private static void strings(Object o) {
        if (o != null) {
            assertThat(o).isInstanceOf(List.class);
            assertThat((List<?>) o).allSatisfy(s -> assertThat(s).isInstanceOf(String.class));
        }
    }
}
