package org.postwerk.reports;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The JSON report of RFC 8460 §4.4 for one policy domain and UTC day (written here: the runtime has no JSON
 * library, and the document is small and fixed).
 */
public record TlsReport(String organization, String contact, String reportId, LocalDate day, String policyDomain,
                        List<TlsTotals> policies) {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    public TlsReport {
        policies = List.copyOf(policies);
    }

    /** The day's first and last second (§4.4 date-range, RFC 3339 date-time in UTC). */
    long begin() {
        return day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    long end() {
        return begin() + 86_399;
    }

    public String json() {
        return "{\"organization-name\":" + str(organization)
                + ",\"date-range\":{\"start-datetime\":" + str(STAMP.format(day.atStartOfDay()))
                + ",\"end-datetime\":" + str(STAMP.format(day.atTime(23, 59, 59))) + "}"
                + ",\"contact-info\":" + str(contact)
                + ",\"report-id\":" + str(reportId)
                + ",\"policies\":" + policies.stream().map(this::policy).collect(Collectors.joining(",", "[", "]"))
                + "}";
    }

    private String policy(TlsTotals t) {
        List<String> p = new ArrayList<>();
        p.add("\"policy-type\":" + str(t.policy().type().code()));
        if (!t.policy().strings().isEmpty()) {
            p.add("\"policy-string\":" + array(t.policy().strings()));
        }
        p.add("\"policy-domain\":" + str(policyDomain));
        if (!t.policy().mxHost().isEmpty()) {
            p.add("\"mx-host\":" + array(t.policy().mxHost()));
        }
        String details = t.details().stream().map(TlsReport::detail).collect(Collectors.joining(",", "[", "]"));
        return "{\"policy\":{" + String.join(",", p) + "}"
                + ",\"summary\":{\"total-successful-session-count\":" + t.successes()
                + ",\"total-failure-session-count\":" + t.failures() + "}"
                + (t.details().isEmpty() ? "" : ",\"failure-details\":" + details) + "}";
    }

    private static String detail(TlsTotals.Detail d) {
        List<String> f = new ArrayList<>();
        f.add("\"result-type\":" + str(d.type().code()));
        if (d.mx() != null) {
            f.add("\"receiving-mx-hostname\":" + str(d.mx()));
        }
        if (d.ip() != null) {
            f.add("\"receiving-ip\":" + str(d.ip()));
        }
        f.add("\"failed-session-count\":" + d.count());
        if (d.detail() != null && !d.detail().isEmpty()) {
            f.add("\"failure-reason-code\":" + str(d.detail()));
        }
        return "{" + String.join(",", f) + "}";
    }

    private static String array(List<String> items) {
        return items.stream().map(TlsReport::str).collect(Collectors.joining(",", "[", "]"));
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
