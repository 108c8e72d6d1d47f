package org.postwerk.auth.dmarc;

import java.util.List;
import java.util.Optional;

/**
 * What DMARC evaluates for one message.
 *
 * @param fromDomain the RFC5322.From domain (from {@link FromDomain#parse}), any case, U- or A-labels
 * @param spf        the SPF result of the MAIL FROM identity, if SPF was checked
 * @param dkim       every DKIM signature's result (empty when unsigned or not checked)
 */
public record DmarcInput(String fromDomain, Optional<SpfOutcome> spf, List<DkimOutcome> dkim) {
    public DmarcInput {
        dkim = List.copyOf(dkim);
    }
}
