package org.postwerk.reports;

import java.util.List;
import org.postwerk.tls.TlsResults;

/**
 * One policy's counts for one policy domain and UTC day: RFC 8460 §4.4 "policies" entry.
 *
 * @param details the failures grouped as the report's failure-details, in order of first occurrence
 */
public record TlsTotals(TlsResults.Policy policy, long successes, long failures, List<Detail> details) {
    public TlsTotals {
        details = List.copyOf(details);
    }

    /**
     * One failure-details entry; {@code mx} and {@code ip} are null when no host was reached, {@code detail}
     * goes into failure-reason-code.
     */
    public record Detail(TlsResults.Failure type, String mx, String ip, String detail, long count) {}
}
