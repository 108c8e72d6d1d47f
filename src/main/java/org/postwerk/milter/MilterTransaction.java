package org.postwerk.milter;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.postwerk.io.SpillBuffer;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.server.InboundChecks;

/**
 * One mail transaction through the milters: MAIL, each RCPT and DATA as the client sends them; the content (header
 * fields, end of headers, body chunks, end of message) once it is all received, to each milter in turn, as Postfix
 * does, each milter seeing the changes of those before it. Refusals at RCPT refuse that recipient only; elsewhere the
 * first refusal decides. A milter that fails applies its default action, at the step where it failed.
 */
final class MilterTransaction implements InboundChecks.Transaction {
    private static final String JUNK = "Junk";

    private final Milters.Session session;
    private final InboundChecks.Transaction inner;
    private final InboundChecks.Client client;
    private final Optional<Mailbox> sender;
    private final String queueId;
    private boolean discard;
    private boolean ended;

    MilterTransaction(Milters.Session session, InboundChecks.Transaction inner, InboundChecks.Client client,
                      Optional<Mailbox> sender, String queueId) {
        this.session = session;
        this.inner = inner;
        this.client = client;
        this.sender = sender;
        this.queueId = queueId;
        session.links.forEach(l -> {
            l.doneWithMessage = false;
            l.inMessage = false;
        });
    }

    @Override
    public Reply atMail() {
        Reply own = inner.atMail();
        if (own != null) {
            return own;
        }
        if (session.refused() != null) {
            return session.refused();
        }
        Map<String, String> macros = macros();
        if (client.authUser() != null) {
            macros.put("{auth_authen}", client.authUser());
        }
        macros.put("{mail_addr}", sender.map(Mailbox::toString).orElse(""));
        sender.ifPresent(s -> macros.put("{mail_host}", s.domain()));
        Packet mail = new Packet.Data().utf8("<" + sender.map(Mailbox::toString).orElse("") + ">").as(Protocol.MAIL);
        for (Link l : session.links) {
            l.inMessage = l.active();
            Reply r = decide(l, l.call("mail", session.session(), queueId,
                    m -> m.step(Protocol.Stage.MAIL, macros, mail)));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Override
    public Reply atRcpt(Mailbox recipient) {
        Map<String, String> macros = macros();
        macros.put("{rcpt_addr}", recipient.toString());
        macros.put("{rcpt_host}", recipient.domain());
        Packet rcpt = new Packet.Data().utf8("<" + recipient + ">").as(Protocol.RCPT);
        for (Link l : session.links) {
            Reply r = decide(l, l.call("rcpt", session.session(), queueId,
                    m -> m.step(Protocol.Stage.RCPT, macros, rcpt)));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Override
    public Reply atData() {
        Packet data = Packet.of(Protocol.DATA);
        for (Link l : session.links) {
            Reply r = decide(l, l.call("data", session.session(), queueId,
                    m -> m.step(Protocol.Stage.DATA, macros(), data)));
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** A step's answer for the transaction: a refusal is the reply; accept and discard end the milter's part. */
    private Reply decide(Link l, Response r) {
        switch (r) {
            case Response.Refuse f -> {
                return f.reply();
            }
            case Response.Accept a -> l.doneWithMessage = true;
            case Response.Discard d -> {
                discard = true;
                session.links.forEach(x -> x.doneWithMessage = true);
            }
            default -> {
            }
        }
        return null;
    }

    @Override
    public OutputStream content() {
        return inner.content();
    }

    @Override
    public InboundChecks.Verdict atEnd() {
        return inner.atEnd();
    }

    @Override
    public String sealForForwarding(SpillBuffer content, String forwardingDomain) throws IOException {
        return inner.sealForForwarding(content, forwardingDomain);
    }

    @Override
    public InboundChecks.Verdict atEnd(SpillBuffer content) throws IOException {
        InboundChecks.Verdict own = inner.atEnd(content);
        if (!(own instanceof InboundChecks.Verdict.Accept accepted)) {
            abort();
            return own;
        }
        Message message = Message.of(content);
        List<Mailbox> added = new ArrayList<>();
        List<Mailbox> removed = new ArrayList<>();
        String quarantine = null;
        for (Link l : session.links) {
            if (discard) {
                break;
            }
            Eom eom = content(l, message);
            if (eom.reply != null) {
                ended = true;
                abortOthers(l);
                return new InboundChecks.Verdict.Reject(eom.reply);
            }
            java.io.ByteArrayOutputStream newBody = null;
            for (Modification m : eom.changes) {
                if (m instanceof Modification.ReplaceBody b) { // the pieces of one new body, in order
                    newBody = newBody == null ? new java.io.ByteArrayOutputStream() : newBody;
                    newBody.writeBytes(b.chunk());
                } else {
                    quarantine = apply(l, m, message, added, removed, quarantine);
                }
            }
            if (newBody != null) {
                message.replaceBody(Message.crlf(newBody.toByteArray()));
                Link.note(session.session(), queueId, l.config.name(), "action=replacebody size=" + newBody.size());
            }
        }
        ended = true;
        if (discard) {
            return new InboundChecks.Verdict.Discard("a milter discarded it");
        }
        String folder = accepted.folder();
        if (folder == null && (quarantine != null || junk(message.headers()))) {
            folder = JUNK;
            Link.note(session.session(), queueId, "-", "action=junk reason=\"" + (quarantine != null
                    ? "quarantine: " + quarantine : "spam header") + "\"");
        }
        InboundChecks.Content changed = message.changed() ? message::writeTo : null;
        return new InboundChecks.Verdict.Accept(accepted.headers(), folder,
                new InboundChecks.Changes(changed, added, removed));
    }

    private record Eom(Reply reply, List<Modification> changes) {}

    /** Header fields, end of headers, body and end of message to one milter; its refusal, or its changes. */
    private Eom content(Link l, Message message) {
        if (!l.active() || l.doneWithMessage) {
            return l.failed ? new Eom(ReplyCodes.TEMPFAIL, List.of()) : new Eom(null, List.of());
        }
        MilterConnection c = l.connection;
        try {
            Response r = Response.CONTINUE;
            for (HeaderSection.Field f : message.headers().fields()) {
                r = c.header(f.name(), f.value());
                if (!(r instanceof Response.Continue)) {
                    break;
                }
            }
            if (r instanceof Response.Continue) {
                r = c.step(Protocol.Stage.EOH, macros(), Packet.of(Protocol.EOH));
            }
            Response[] last = {r};
            if (r instanceof Response.Continue && c.wantsBody()) {
                message.bodyTo(chunk -> {
                    last[0] = c.body(chunk);
                    return last[0] instanceof Response.Continue;
                }, Protocol.CHUNK);
                r = last[0] instanceof Response.Skip ? Response.CONTINUE : last[0];
            }
            List<Modification> changes = List.of();
            if (r instanceof Response.Continue) {
                MilterConnection.EndOfMessage eom = c.endOfMessage(macros());
                r = eom.response();
                changes = eom.changes();
            }
            l.log("eom", session.session(), queueId, r);
            return switch (r) {
                case Response.Refuse f -> new Eom(f.reply(), List.of());
                case Response.Discard d -> {
                    discard = true;
                    yield new Eom(null, List.of());
                }
                default -> new Eom(null, changes); // accept or continue
            };
        } catch (IOException e) {
            Response r = l.fail("eom", session.session(), queueId, e);
            return new Eom(r instanceof Response.Refuse f ? f.reply() : null, List.of());
        }
    }

    /** One change of one milter applied to the message or the envelope; returns the quarantine reason so far. */
    private String apply(Link l, Modification m, Message message, List<Mailbox> added, List<Mailbox> removed,
                         String quarantine) {
        boolean space = l.connection != null && l.connection.leadingSpace();
        String name = l.config.name();
        switch (m) {
            case Modification.AddHeader h when HeaderSection.Field.validName(h.name()) ->
                    message.editableHeaders().add(HeaderSection.Field.of(h.name(), h.value(), space));
            case Modification.InsertHeader h when HeaderSection.Field.validName(h.name()) ->
                    message.editableHeaders().insert(h.index(), HeaderSection.Field.of(h.name(), h.value(), space));
            case Modification.ChangeHeader h when HeaderSection.Field.validName(h.name()) ->
                    message.editableHeaders().change(h.index(), h.name(), h.value(), space);
            case Modification.AddRecipient r -> mailbox(r.address(), name).ifPresent(added::add);
            case Modification.DeleteRecipient r -> mailbox(r.address(), name).ifPresent(removed::add);
            case Modification.Quarantine q -> {
                Link.note(session.session(), queueId, name, "action=quarantine reason=\"" + q.reason() + "\"");
                return q.reason();
            }
            default -> Link.note(session.session(), queueId, name, "event=bad-header-change ignored=true");
        }
        Link.note(session.session(), queueId, name, "action=" + m.getClass().getSimpleName()
                .toLowerCase(Locale.ROOT) + describe(m));
        return quarantine;
    }

    private static String describe(Modification m) {
        return switch (m) {
            case Modification.AddHeader h -> " field=" + h.name();
            case Modification.InsertHeader h -> " field=" + h.name();
            case Modification.ChangeHeader h -> " field=" + h.name() + " index=" + h.index();
            case Modification.AddRecipient r -> " rcpt=" + r.address();
            case Modification.DeleteRecipient r -> " rcpt=" + r.address();
            default -> "";
        };
    }

    /** An address as a milter gives it, with or without angle brackets; a bad one is logged and left out. */
    private Optional<Mailbox> mailbox(String address, String milter) {
        String a = address.strip();
        a = a.startsWith("<") && a.endsWith(">") ? a.substring(1, a.length() - 1) : a;
        try {
            return Optional.of(AddressParser.parseMailbox(a));
        } catch (AddressParser.SyntaxError e) {
            Link.note(session.session(), queueId, milter, "event=bad-recipient ignored=true");
            return Optional.empty();
        }
    }

    /** An {@code X-Spam: yes}-like field (names in {@code [milter_policy] junk_headers}) sends it to Junk. */
    private boolean junk(HeaderSection headers) {
        for (String name : session.junkHeaders()) {
            String v = headers.first(name);
            if (v != null && v.strip().toLowerCase(Locale.ROOT).startsWith("yes")) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void abort() {
        if (ended) {
            return;
        }
        ended = true;
        abortOthers(null);
    }

    private void abortOthers(Link except) {
        for (Link l : session.links) {
            if (l != except && l.active() && l.inMessage) {
                try {
                    l.connection.abort();
                } catch (IOException e) {
                    l.fail("abort", session.session(), queueId, e);
                }
            }
        }
    }

    private Map<String, String> macros() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("i", queueId);
        return m;
    }
}
