package org.postwerk.delivery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.postwerk.queue.DsnDuty;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Reason;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.smtp.client.MailRequest;
import org.postwerk.smtp.client.SmtpClient;
import org.postwerk.smtp.client.TransactionReplies;

/**
 * One message to one connected peer: checks what the peer can take (SIZE, SMTPUTF8, BINARYMIME), runs the
 * transaction and turns replies into outcomes: 2xx delivered, 4xx deferred, 5xx failed.
 */
final class Transaction {
    static final Reply TOO_BIG = Reply.of(552, 5, 3, 4, "Message too big for the destination server");
    static final Reply NO_SMTPUTF8 = Reply.of(553, 5, 6, 7,
            "Message needs SMTPUTF8 but the destination server does not support it");
    static final Reply NO_BINARY = Reply.of(554, 5, 6, 3, "Binary message but the destination lacks BINARYMIME");
    static final Reply NO_REQUIRETLS = Reply.of(550, 5, 7, 30,
            "REQUIRETLS support required: the destination server does not offer it");

    private final Envelope envelope;
    private final List<Recipient> recipients;
    private final Path message;

    Transaction(Envelope envelope, List<Recipient> recipients, Path message) {
        this.envelope = envelope;
        this.recipients = recipients;
        this.message = message;
    }

    Hop hop(SmtpClient c) {
        return hopOf(c);
    }

    static Hop hopOf(SmtpClient c) {
        String peer = c.peer();
        int sp = peer.indexOf(" [");
        return new Hop(peer.substring(0, sp), peer.substring(sp + 2, peer.length() - 1), c.tlsProtocol().orElse(null));
    }

    List<Outcome> run(SmtpClient c) throws IOException {
        Hop hop = hopOf(c);
        long size = Files.size(message);
        Reply refusal = refusal(c, size);
        if (refusal != null) {
            // We decided not to send, from what the peer announced: our reason, not a reply of the peer.
            return Collections.nCopies(recipients.size(), new Outcome.Failed(Outcome.ours(refusal), hop));
        }
        MailRequest req = new MailRequest(envelope.reversePath(), size, envelope.body(), envelope.smtputf8(),
                envelope.ret(), envelope.envid(), recipients.stream().map(r -> new MailRequest.Rcpt(
                        r.address().toString(), r.notifyOn(), r.orcpt())).toList(), requiresTls());
        TransactionReplies replies = c.send(req, message);
        boolean dsn = c.capabilities().has("DSN");
        List<Outcome> out = new ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i++) {
            TransactionReplies.Decisive d = replies.decisive(i, req);
            Reply r = d.reply();
            Reason said = hop.said(r, d.command());
            out.add(r.isPositive() ? new Outcome.Delivered(said, hop, dsn ? DsnDuty.NEXT_HOP : DsnDuty.RELAYED)
                    : r.isTransient() ? new Outcome.Deferred(said, hop) : new Outcome.Failed(said, hop));
        }
        return out;
    }

    /** The sender asked for REQUIRETLS (RFC 8689): the connection must have been opened under its rules. */
    boolean requiresTls() {
        return envelope.tls() == TlsRequirement.REQUIRED;
    }

    /**
     * What the peer told us in EHLO it would refuse, so we do not send it (RFC 1870 §6, RFC 6531 §3.5), and a
     * REQUIRETLS message to a peer that does not offer REQUIRETLS under TLS (RFC 8689 §4.2.1: permanent, 5.7.30;
     * checked here so that a pooled connection is held to it too).
     */
    private Reply refusal(SmtpClient c, long size) {
        var caps = c.capabilities();
        if (requiresTls() && (c.tlsProtocol().isEmpty() || !caps.has("REQUIRETLS"))) {
            return NO_REQUIRETLS;
        }
        if (caps.size().isPresent() && size > caps.size().getAsLong()) {
            return TOO_BIG;
        }
        if (envelope.smtputf8() && !caps.has("SMTPUTF8")) {
            return NO_SMTPUTF8;
        }
        if (envelope.body() == BodyType.BINARY_MIME && !(caps.has("BINARYMIME") && caps.has("CHUNKING"))) {
            return NO_BINARY;
        }
        return null;
    }
}
