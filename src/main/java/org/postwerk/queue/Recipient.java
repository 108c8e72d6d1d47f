package org.postwerk.queue;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;

/**
 * One envelope recipient with its DSN parameters (RFC 3461) and its route: {@code notifyOn} empty means "not
 * given" (default FAILURE[,DELAY]); {@code orcpt} is the raw ORCPT value ({@code rfc822;addr}) or null.
 */
public record Recipient(Mailbox address, Set<Notify> notifyOn, String orcpt, Route route) {
    public Recipient {
        notifyOn = Set.copyOf(notifyOn);
        Objects.requireNonNull(route);
    }

    /** A recipient whose route is looked up at delivery. */
    public Recipient(Mailbox address, Set<Notify> notifyOn, String orcpt) {
        this(address, notifyOn, orcpt, Route.UNRESOLVED);
    }

    public static Recipient of(Mailbox address) {
        return new Recipient(address, Set.of(), null);
    }

    public Recipient routed(Route r) {
        return new Recipient(address, notifyOn, orcpt, r);
    }

    /**
     * The NOTIFY we honour. Success and delay reports go to a sender of another domain only when the client was
     * trusted (logged in, or in {@code relay_networks}): otherwise anyone could make us mail a copy of their text
     * to any address by naming it in MAIL FROM (DSN reflection). RFC 3461 §6.2 has reports issued on the
     * request of the envelope sender, and a foreign MAIL FROM from a stranger is no evidence of that; Postfix's
     * DSN_README likewise offers DSN to trusted clients only ({@code smtpd_discard_ehlo_keyword_address_maps}).
     * Failures are still reported (their returned content is capped). What is left is passed on to the next
     * hop as our NOTIFY, so it does not report on the stranger's behalf either.
     *
     * @param asked           the client's NOTIFY, empty when not given
     * @param trustedOrLocal  true when the client was trusted or the sender is one of our own domains
     */
    public static Set<Notify> honoured(Set<Notify> asked, boolean trustedOrLocal) {
        if (trustedOrLocal || asked.contains(Notify.NEVER)) {
            return asked;
        }
        if (asked.isEmpty()) {
            return Set.of(Notify.FAILURE); // the default would allow delay reports
        }
        Set<Notify> left = EnumSet.copyOf(asked);
        left.removeAll(Set.of(Notify.SUCCESS, Notify.DELAY));
        return left.isEmpty() ? Set.of(Notify.NEVER) : left; // the client asked for no failure reports
    }
}
