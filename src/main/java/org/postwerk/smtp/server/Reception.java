package org.postwerk.smtp.server;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.postwerk.account.Directory;
import org.postwerk.auth.AuthResults;
import org.postwerk.config.SmtpOptions;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.SmtpInput;
import org.postwerk.tls.TlsInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message being received, from DATA or the first BDAT (RFC 3030) to its final reply. The content streams
 * through the {@link MessageWriter} (checks and header edits) into a spill buffer; at the end the inbound checks
 * give their verdict, our own users' mail is signed, forwarded mail is sealed, and the trace and result fields
 * and the content go into an {@link Intake.Draft}. The reply is 250 only once the draft is committed (durable);
 * a refused message never opens a draft.
 */
final class Reception {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    /** RFC 5321 §6.3: a message with more Received fields than this is in a loop (Postfix uses 50 too). */
    static final int MAX_HOPS = 50;

    /**
     * The sender as the session knows it when the content starts. {@code ownUser}: mail of our own users (logged
     * in, on a submission port, or from a relay network) is DKIM-signed; {@code submission}: logged in or on a
     * submission port, the message gets the fixes of RFC 6409 §8 (Message-ID, Date).
     */
    record Origin(String session, InetSocketAddress client, String helo, String protocol, TlsInfo tls,
                  String authUser, boolean ownUser, boolean submission) {}

    private final SessionSettings settings;
    private final SessionServices services;
    private final Origin origin;
    private final InboundChecks.Transaction checks;
    /** The envelope; a content filter may change its recipients at the end. */
    private Envelope envelope;
    private final SpillBuffer buffer;
    private final MessageWriter writer;
    /** The Message-ID we gave a submitted message that had none. */
    private String addedMessageId;

    Reception(SessionSettings settings, SessionServices services, Origin origin, Envelope envelope,
              InboundChecks.Transaction checks) {
        this.settings = settings;
        this.services = services;
        this.origin = origin;
        this.checks = checks;
        this.envelope = envelope;
        this.buffer = new SpillBuffer(services.spillDir(), services.spillThreshold());
        this.writer = new MessageWriter(buffer, checks.content(), settings.limits().messageSize(),
                settings.limits().textLine(), lines(envelope.body(), settings.options().bareNewline()),
                new Edits());
    }

    private static MessageWriter.Lines lines(BodyType body, SmtpOptions.BareNewline bareNewline) {
        if (body == BodyType.BINARY_MIME) {
            return MessageWriter.Lines.UNCHECKED;
        }
        return bareNewline == SmtpOptions.BareNewline.NORMALIZE ? MessageWriter.Lines.NORMALIZE_LF
                : MessageWriter.Lines.STRICT;
    }

    Envelope envelope() {
        return envelope;
    }

    long size() {
        return writer.size();
    }

    /** The message's Message-ID (its own, or the one we added), or null when it has none. */
    String messageId() {
        return writer.messageId() != null ? writer.messageId() : addedMessageId;
    }

    /** DATA: the content up to {@code CRLF . CRLF}, dot-unstuffed (RFC 5321 §4.5.2). */
    void readData(SmtpInput in) throws IOException {
        in.readData(writer);
    }

    /** One BDAT chunk, read whole in any case (RFC 3030 §2); false once the message is over the size limit. */
    boolean readChunk(SmtpInput in, long size) throws IOException {
        in.readChunk(size, writer);
        return writer.problem() != MessageWriter.Problem.TOO_BIG;
    }

    /** Drops what was received (a refused or abandoned message). */
    void discard() {
        buffer.close();
    }

    /** Checks, then writes trace + result headers + content into a durable draft, and commits. */
    Reply finish() throws IOException {
        writer.finish();
        Reply problem = switch (writer.problem()) {
            case NONE -> writer.receivedCount() > MAX_HOPS ? Replies.TOO_MANY_HOPS : null;
            case TOO_BIG -> Replies.TOO_BIG;
            case BARE_LINE_END -> Replies.BARE_LINE_END;
            case LINE_TOO_LONG -> Replies.LINE_TOO_LONG;
        };
        if (problem != null) {
            return problem; // the session logs it
        }
        if (writer.tlsNotRequired() && envelope.tls() == TlsRequirement.POLICY) {
            // RFC 8689 §4.1: the header is honoured only without REQUIRETLS, which wins when both are given.
            envelope = envelope.withTls(TlsRequirement.NOT_REQUIRED);
        }
        return switch (checks.atEnd(buffer)) {
            case InboundChecks.Verdict.Reject r -> r.reply();
            case InboundChecks.Verdict.Discard d -> discarded(d.why());
            case InboundChecks.Verdict.Accept a -> {
                InboundChecks.Changes c = a.changes();
                if (!c.added().isEmpty() || !c.removed().isEmpty()) {
                    Envelope changed = withRecipients(c);
                    if (changed == null) {
                        yield discarded("every recipient removed");
                    }
                    envelope = changed;
                }
                yield store(a.headers(), a.folder(), c.content());
            }
        };
    }

    /** A message a content filter discarded: the client hears 250 (that is what discarding means), nothing is kept. */
    private Reply discarded(String why) {
        LOG.info("session={} id={} event=discarded reason=\"{}\"", origin.session(), envelope.id(), why);
        return Reply.of(250, 2, 0, 0, "OK queued as " + envelope.id());
    }

    /** The envelope with the recipients a content filter added (routed as at RCPT) and removed; null if none is left. */
    private Envelope withRecipients(InboundChecks.Changes c) {
        java.util.List<Recipient> list = new java.util.ArrayList<>();
        for (Recipient r : envelope.recipients()) {
            if (c.removed().stream().noneMatch(m -> m.toString().equalsIgnoreCase(r.address().toString()))) {
                list.add(r);
            }
        }
        for (org.postwerk.smtp.Mailbox m : c.added()) {
            switch (services.directory().route(m)) {
                case Directory.Route.Local l -> list.add(Recipient.of(m).routed(
                        org.postwerk.queue.Route.local(l.accounts(), l.forwards())));
                case Directory.Route.Remote r -> list.add(Recipient.of(m).routed(new org.postwerk.queue.Route.Remote()));
                case Directory.Route.Unknown u -> LOG.info("session={} id={} event=recipient-not-added rcpt=<{}>"
                        + " reason=\"no such user\"", origin.session(), envelope.id(), m);
            }
        }
        if (list.isEmpty()) {
            return null;
        }
        return envelope.withRecipients(list);
    }

    private Reply store(String headers, String folder, InboundChecks.Content content) throws IOException {
        if (origin.ownUser()) {
            headers += services.signer().sign(envelope, buffer); // after our own Message-ID/Date
        } else {
            String forwarding = forwardingDomain();
            if (forwarding != null) {
                headers = checks.sealForForwarding(buffer, forwarding) + headers;
            }
        }
        try (Intake.Draft draft = folder == null ? services.intake().open(envelope)
                : services.intake().open(envelope, folder)) {
            OutputStream out = draft.out();
            out.write(Trace.received(envelope, origin.helo(), origin.client().getAddress(), settings.hostname(),
                    origin.protocol(), origin.tls()).getBytes(StandardCharsets.UTF_8));
            out.write(headers.getBytes(StandardCharsets.UTF_8));
            if (content != null) {
                content.writeTo(out);
            } else {
                buffer.writeTo(out);
            }
            draft.commit();
        } catch (IOException e) {
            LOG.error("session={} id={} event=store-failed reason=\"{}\"", origin.session(), envelope.id(),
                    e.toString());
            return Replies.LOCAL_ERROR;
        }
        MailLog.received(origin.session(), envelope, origin.client(), origin.helo(), origin.tls(), origin.authUser(),
                writer.size(), messageId());
        return Reply.of(250, 2, 0, 0, "OK queued as " + envelope.id());
    }

    /** The local domain of the first recipient that forwards elsewhere (an alias to another domain), or null. */
    private String forwardingDomain() {
        for (Recipient r : envelope.recipients()) {
            if (services.directory().route(r.address()) instanceof Directory.Route.Local l && !l.forwards().isEmpty()) {
                return r.address().domainKey();
            }
        }
        return null;
    }

    /** What the writer changes in the header section. */
    private final class Edits implements MessageWriter.Edits {
        @Override
        public boolean drop(String name, String value) {
            // RFC 5321 §4.4: Return-Path is final delivery's; RFC 8601 §5: no forged results of ours.
            // A field too long to hold is judged by name alone (value ""): a huge A-R goes too.
            return name.equals("return-path") || name.equals("authentication-results")
                    && (value.isEmpty() || AuthResults.claimsAuthservId(value, settings.hostname()));
        }

        @Override
        public byte[] additions(Set<String> seen) {
            if (!origin.submission()) {
                return new byte[0];
            }
            if (!seen.contains("message-id")) {
                addedMessageId = Trace.newMessageId(settings.hostname(), services.clock());
            }
            return Trace.submissionFields(seen, addedMessageId, services.clock());
        }
    }
}
