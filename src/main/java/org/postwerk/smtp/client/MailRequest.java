package org.postwerk.smtp.client;

import java.util.List;
import java.util.Set;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Ret;

/**
 * One transaction to send: reverse path as on the wire ({@code <a@b>} or {@code <>}), message size in octets,
 * MAIL parameters and the recipients. DSN fields are sent only when the peer speaks DSN (RFC 3461), REQUIRETLS
 * only when it offers it (RFC 8689 §2; the caller has refused to send without it).
 */
public record MailRequest(String reversePath, long size, BodyType body, boolean smtputf8, Ret ret, String envid,
                          List<Rcpt> recipients, boolean requireTls) {
    public MailRequest {
        recipients = List.copyOf(recipients);
    }

    /** Without REQUIRETLS. */
    public MailRequest(String reversePath, long size, BodyType body, boolean smtputf8, Ret ret, String envid,
                       List<Rcpt> recipients) {
        this(reversePath, size, body, smtputf8, ret, envid, recipients, false);
    }

    /** One RCPT: forward path without brackets, NOTIFY (empty = not given) and the raw ORCPT or null. */
    public record Rcpt(String address, Set<Notify> notifyOn, String orcpt) {
        public Rcpt {
            notifyOn = Set.copyOf(notifyOn);
        }
    }
}
