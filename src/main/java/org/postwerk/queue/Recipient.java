package org.postwerk.queue;

import java.util.Set;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;

/**
 * One envelope recipient with its DSN parameters (RFC 3461): {@code notifyOn} empty means "not given"
 * (default FAILURE[,DELAY]); {@code orcpt} is the raw ORCPT value ({@code rfc822;addr}) or null.
 */
public record Recipient(Mailbox address, Set<Notify> notifyOn, String orcpt) {
    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
    }

    public static Recipient of(Mailbox address) {
        return new Recipient(address, Set.of(), null);
    }
}
