package org.postwerk.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Ret;

/**
 * The envelope of one accepted message, as the SMTP session hands it on.
 *
 * @param id        queue id, unique, safe as a file name
 * @param sender    reverse path; empty for the null sender {@code <>} (bounces)
 * @param ret       DSN RET (RFC 3461), null when not given
 * @param envid     DSN ENVID (xtext-decoded), null when not given
 * @param authUser  the authenticated submitter, null when none
 * @param client    the client's address as text, for logs and DSNs
 */
public record Envelope(String id, Optional<Mailbox> sender, List<Recipient> recipients, BodyType body,
                       boolean smtputf8, Ret ret, String envid, Instant received, String authUser, String client) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
    }

    /** The same envelope with every local recipient delivered into {@code folder}. */
    public Envelope inFolder(String folder) {
        List<Recipient> moved = recipients.stream()
                .map(r -> r.route() instanceof Route.Local l ? r.routed(l.inFolder(folder)) : r).toList();
        return new Envelope(id, sender, moved, body, smtputf8, ret, envid, received, authUser, client);
    }

    /** The reverse path as it goes into Return-Path and MAIL FROM: {@code <a@b>} or {@code <>}. */
    public String reversePath() {
        return sender.map(m -> "<" + m + ">").orElse("<>");
    }
}
