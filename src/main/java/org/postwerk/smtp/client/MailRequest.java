package org.postwerk.smtp.client;

import java.util.List;
import java.util.Set;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;

/**
 * One transaction to send: reverse path as on the wire ({@code <a@b>} or {@code <>}), message size in octets,
 * MAIL parameters and the recipients. DSN fields are sent only when the peer speaks DSN (RFC 3461).
 */
public record MailRequest(String reversePath, long size, BodyType body, boolean smtputf8, Ret ret, String envid,
                          List<Rcpt> recipients) {
    public MailRequest {
        recipients = List.copyOf(recipients);
    }

    /** One RCPT: forward path without brackets, NOTIFY (empty = not given) and the raw ORCPT or null. */
    public record Rcpt(String address, Set<Notify> notifyOn, String orcpt) {
        public Rcpt {
            notifyOn = Set.copyOf(notifyOn);
        }
    }
}
