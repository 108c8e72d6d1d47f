package org.postwerk.auth.dmarc;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * One message's line in the aggregate report data (RFC 7489 §7.2, Appendix C {@code RecordType}): the key
 * under which messages are counted per day.
 *
 * @param policyDomain where the DMARC record was found (the report goes to its {@code rua})
 * @param source       the SMTP client's address
 * @param headerFrom   the author domain
 * @param disposition  what we did (after the operator's enforcement)
 * @param dkimAligned  policy_evaluated dkim: an aligned signature passed
 * @param spfAligned   policy_evaluated spf: SPF passed aligned
 * @param spf          auth_results spf: {@code domain scope result}, or empty when SPF was not checked
 * @param dkim         auth_results dkim: {@code domain selector result} per signature
 */
public record ReportRow(String policyDomain, InetAddress source, String headerFrom, Disposition disposition,
                        boolean dkimAligned, boolean spfAligned, Optional<String> spf, List<String> dkim) {
    public ReportRow {
        dkim = List.copyOf(dkim);
    }

    /**
     * The row for an evaluated message, or empty when there is nothing to report to (no policy was found:
     * none, temperror, permerror).
     */
    public static Optional<ReportRow> of(DmarcResult result, DmarcInput input, InetAddress source,
                                         Disposition disposition) {
        if (result.policyDomain().isEmpty()) {
            return Optional.empty();
        }
        Optional<String> spf = input.spf().map(s -> Domains.normalize(s.domain()) + " " + s.scope().keyword()
                + " " + s.result().keyword());
        List<String> dkim = input.dkim().stream()
                .map(d -> Domains.normalize(d.domain()) + " " + d.selector() + " " + d.result().keyword())
                .toList();
        return Optional.of(new ReportRow(result.policyDomain().get(), source, result.fromDomain(), disposition,
                result.dkimAligned(), result.spfAligned(), spf, dkim));
    }
}
