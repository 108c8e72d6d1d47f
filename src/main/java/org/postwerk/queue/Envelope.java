package org.postwerk.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Ret;
import org.postwerk.smtp.TlsRequirement;

/**
 * The envelope of one accepted message, as the SMTP session hands it on.
 *
 * @param id        queue id, unique, safe as a file name
 * @param sender    reverse path; empty for the null sender {@code <>} (bounces)
 * @param ret       DSN RET (RFC 3461), null when not given
 * @param envid     DSN ENVID (xtext-decoded), null when not given
 * @param authUser  the authenticated submitter, null when none
 * @param client    the client's address as text, for logs and DSNs
 * @param tls       what the sender asked of the transport (RFC 8689 REQUIRETLS or {@code TLS-Required: No})
 */
public record Envelope(String id, Optional<Mailbox> sender, List<Recipient> recipients, BodyType body,
                       boolean smtputf8, Ret ret, String envid, Instant received, String authUser, String client,
                       TlsRequirement tls) {
    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope has at least one recipient");
        }
        java.util.Objects.requireNonNull(tls, "tls");
    }

    /** An envelope whose sender asked nothing of the transport. */
    public Envelope(String id, Optional<Mailbox> sender, List<Recipient> recipients, BodyType body,
                    boolean smtputf8, Ret ret, String envid, Instant received, String authUser, String client) {
        this(id, sender, recipients, body, smtputf8, ret, envid, received, authUser, client, TlsRequirement.POLICY);
    }

    /** The same envelope with every local recipient delivered into {@code folder}. */
    public Envelope inFolder(String folder) {
        List<Recipient> moved = recipients.stream()
                .map(r -> r.route() instanceof Route.Local l ? r.routed(l.inFolder(folder)) : r).toList();
        return withRecipients(moved);
    }

    /** The same envelope with other recipients (a content filter's changes). */
    public Envelope withRecipients(List<Recipient> list) {
        return new Envelope(id, sender, list, body, smtputf8, ret, envid, received, authUser, client, tls);
    }

    /** The same envelope with another reverse path (SRS rewriting). */
    public Envelope withSender(Optional<Mailbox> from) {
        return new Envelope(id, from, recipients, body, smtputf8, ret, envid, received, authUser, client, tls);
    }

    /** The same envelope with what the sender asked of the transport. */
    public Envelope withTls(TlsRequirement requirement) {
        return new Envelope(id, sender, recipients, body, smtputf8, ret, envid, received, authUser, client,
                requirement);
    }

    /** The reverse path as it goes into Return-Path and MAIL FROM: {@code <a@b>} or {@code <>}. */
    public String reversePath() {
        return sender.map(m -> "<" + m + ">").orElse("<>");
    }
}
