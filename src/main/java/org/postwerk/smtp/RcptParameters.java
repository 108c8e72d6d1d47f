package org.postwerk.smtp;

import java.util.Set;

/** ESMTP parameters of RCPT TO: NOTIFY and ORCPT (RFC 3461 §4). Empty notify = not given. */
public record RcptParameters(Set<Notify> notifyOn, String orcpt) {
    public static final RcptParameters NONE = new RcptParameters(Set.of(), null);

    public RcptParameters {
        notifyOn = Set.copyOf(notifyOn);
    }
}
