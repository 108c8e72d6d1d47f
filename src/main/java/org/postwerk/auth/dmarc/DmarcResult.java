package org.postwerk.auth.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * The DMARC outcome for one message.
 *
 * @param result       pass, fail, none, temperror or permerror (RFC 7489 §11.2)
 * @param fromDomain   the author domain evaluated (comparison form), empty when the From field was unusable
 * @param policyDomain where the record was found (the author or its organisational domain)
 * @param record       the record applied
 * @param requested    the policy the owner asks for this message: {@code p}, {@code sp} or {@code np}
 * @param applied      what the receiver should do: {@code requested} for a fail in the {@code pct} sample, one
 *                     step weaker outside it (§6.3 pct), {@link Policy#NONE} for every result but fail
 * @param sampledOut   a failing message left out by {@code pct} sampling (reason {@code sampled_out} in reports)
 * @param spfAligned   SPF passed for a domain aligned with the author domain
 * @param dkimAligned  a DKIM signature passed for a domain aligned with the author domain
 * @param problem      why the result is none, temperror or permerror (for logs)
 */
public record DmarcResult(Result result, String fromDomain, Optional<String> policyDomain,
                          Optional<DmarcRecord> record, Optional<Policy> requested, Policy applied,
                          boolean sampledOut, boolean spfAligned, boolean dkimAligned, Optional<String> problem) {

    public enum Result { PASS, FAIL, NONE, TEMPERROR, PERMERROR;

        public String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** No policy was evaluated, for {@code why}. */
    static DmarcResult unevaluated(Result result, String fromDomain, String why) {
        return new DmarcResult(result, fromDomain, Optional.empty(), Optional.empty(), Optional.empty(),
                Policy.NONE, false, false, false, Optional.of(why));
    }

    /**
     * For a message whose From field gives no single author domain (none, several fields, several mailboxes,
     * unparseable): RFC 7489 §6.6.1 leaves the choice to the receiver; we report permerror and apply nothing.
     */
    public static DmarcResult unusableFrom(String problem) {
        return unevaluated(Result.PERMERROR, "", problem);
    }

    /**
     * The DMARC part of an Authentication-Results field (RFC 7489 §11.2, RFC 8601 §2.7): e.g.
     * {@code dmarc=fail (p=reject dis=quarantine) header.from=example.com}. {@code p} is what the domain owner
     * asks for; {@code dis} what this receiver did, after {@code pct} and the operator's enforcement, so a
     * reader never sees {@code dis=reject} on a message that was delivered.
     *
     * @param done the disposition applied to this message
     */
    public String authenticationResults(Disposition done) {
        StringBuilder sb = new StringBuilder("dmarc=").append(result.keyword());
        requested.ifPresent(p -> sb.append(" (p=").append(p.keyword()).append(" dis=")
                .append(done.reportKeyword()).append(')'));
        if (!fromDomain.isEmpty()) {
            sb.append(" header.from=").append(fromDomain);
        }
        return sb.toString();
    }
}
