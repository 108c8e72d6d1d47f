package org.postwerk.auth.dmarc;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What DMARC evaluates for one message.
 *
 * @param fromDomain the RFC5322.From domain (from {@link FromDomain#parse}), any case, U- or A-labels
 * @param spf        the SPF result of the MAIL FROM identity, if SPF was checked
 * @param dkim       every DKIM signature's result (empty when unsigned or not checked)
 * @param messageKey what stays the same when the same message comes again (its Message-ID, or From, Date and
 *                   a hash of the body): the {@code pct} sample is drawn from it ({@link DmarcVerifier#draw})
 */
public record DmarcInput(String fromDomain, Optional<SpfOutcome> spf, List<DkimOutcome> dkim, String messageKey) {
    public DmarcInput {
        dkim = List.copyOf(dkim);
        Objects.requireNonNull(messageKey);
    }
}
