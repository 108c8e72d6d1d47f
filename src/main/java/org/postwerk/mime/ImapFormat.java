package org.postwerk.mime;

import java.util.List;
import org.postwerk.imap.ImapWriter;

/**
 * Writes ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2, RFC 3501 §7.4.2) through an {@link ImapWriter}.
 * The writer decides quoted string or literal: raw 8-bit header text goes to an IMAP4rev1 client as a literal
 * (RFC 3501 §4.3 allows 8-bit octets there) and to an IMAP4rev2 / UTF8=ACCEPT client as a UTF-8 quoted string
 * (RFC 9051 §4.3, RFC 6855 §3), which is what Dovecot does too. Encoded words are sent as written: decoding
 * them is the client's job (RFC 9051 §7.5.2).
 */
public final class ImapFormat {
    private static final Part EMPTY_TEXT = new Part(0, 0, 0, 0, ContentInfo.DEFAULT, Part.Leaf.INSTANCE);

    private ImapFormat() {
    }

    /** ENVELOPE: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id. */
    public static void envelope(ImapWriter w, Envelope e) {
        w.open();
        nstring(w, e.date());
        nstring(w, e.subject());
        List<Address> from = Address.parseList(e.from());
        addresses(w, from);
        // RFC 9051 §7.5.2: sender and reply-to default to from when absent (or empty).
        List<Address> sender = Address.parseList(e.sender());
        addresses(w, sender.isEmpty() ? from : sender);
        List<Address> replyTo = Address.parseList(e.replyTo());
        addresses(w, replyTo.isEmpty() ? from : replyTo);
        addresses(w, Address.parseList(e.to()));
        addresses(w, Address.parseList(e.cc()));
        addresses(w, Address.parseList(e.bcc()));
        nstring(w, e.inReplyTo());
        nstring(w, e.messageId());
        w.close();
    }

    private static void addresses(ImapWriter w, List<Address> list) {
        if (list.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        for (Address a : list) {
            w.glue().open(); // RFC 9051 §9: "(" 1*address ")", no space between addresses
            w.nstring(a.name());
            w.nstring(a.route());
            w.nstring(a.mailbox());
            w.nstring(a.host());
            w.close();
        }
        w.close();
    }

    /** BODYSTRUCTURE ({@code extended}) or BODY of one part, recursively. */
    public static void body(ImapWriter w, Part part, boolean extended) {
        ContentInfo c = part.content();
        if (part.body() instanceof Part.Multipart mp) {
            w.open();
            for (Part child : mp.parts()) {
                w.glue(); // RFC 9051 §9: body-type-mpart = 1*body SP media-subtype
                body(w, child, extended);
            }
            w.string(c.type() == null ? "mixed" : c.subtype());
            if (extended) {
                params(w, Rfc2231.joined(c.params()));
                disposition(w, c);
                language(w, c.language());
                nstring(w, c.location());
            }
            w.close();
            return;
        }
        w.open();
        List<ContentInfo.Param> params = Rfc2231.joined(c.params());
        if (c.type() == null || c.isMultipart() || defaultText(c, params)) {
            // No usable Content-Type (RFC 2045 §5.2 defaults), a multipart we did not descend into, or exactly
            // the default written out: Dovecot writes the default in lower case; so do we.
            boolean message = c.type() == null && c.digestChild();
            w.string(message ? "message" : "text").string(message ? "rfc822" : "plain");
            if (message) {
                w.nil();
            } else {
                w.open().string("charset").string("us-ascii").close();
            }
        } else {
            w.string(c.type()).string(c.subtype());
            if (c.isText() && c.param("charset") == null) {
                // RFC 2046 §4.1.2: text without a charset is us-ascii; Dovecot states it, clients expect it.
                params = new java.util.ArrayList<>(params);
                params.add(new ContentInfo.Param("charset", "us-ascii"));
            }
            params(w, params);
        }
        nstring(w, c.id());
        nstring(w, c.description());
        w.string(c.encoding() == null ? "7bit" : c.encoding());
        w.number(part.size());
        if (part.body() instanceof Part.Embedded em) {
            envelope(w, em.message().envelope());
            body(w, em.message().root(), extended);
            w.number(part.bodyLines());
        } else if (c.isMessage()) {
            // message/rfc822 beyond the parser's limits, not parsed: RFC 9051 body-type-msg still needs an
            // envelope and a body; an empty one, as Dovecot gives for a message it cannot read.
            envelope(w, Envelope.EMPTY);
            body(w, EMPTY_TEXT, extended);
            w.number(part.bodyLines());
        } else if (c.isText() || c.isMultipart()) {
            w.number(part.bodyLines());
        }
        if (extended) {
            nstring(w, c.md5());
            disposition(w, c);
            language(w, c.language());
            nstring(w, c.location());
        }
        w.close();
    }

    private static boolean defaultText(ContentInfo c, List<ContentInfo.Param> params) {
        return c.type().equalsIgnoreCase("text") && c.subtype().equalsIgnoreCase("plain") && params.size() == 1
                && params.get(0).name().equalsIgnoreCase("charset") && params.get(0).value().equalsIgnoreCase("us-ascii");
    }

    private static void params(ImapWriter w, List<ContentInfo.Param> params) {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        for (ContentInfo.Param p : params) {
            w.string(p.name()).string(p.value());
        }
        w.close();
    }

    private static void disposition(ImapWriter w, ContentInfo c) {
        if (c.disposition() == null) {
            w.nil();
            return;
        }
        w.open().string(c.disposition());
        params(w, Rfc2231.joined(c.dispositionParams()));
        w.close();
    }

    /** body-fld-lang: NIL, one string, or a list (RFC 9051 §9; RFC 3282 allows a comma-separated list). */
    private static void language(ImapWriter w, String language) {
        if (language == null) {
            w.nil();
            return;
        }
        String[] tags = (language.indexOf('(') < 0 ? language : language.replaceAll("\\([^)]*\\)", ""))
                .split("[,\\s]+");
        List<String> list = java.util.Arrays.stream(tags).filter(s -> !s.isEmpty()).toList();
        if (list.isEmpty()) {
            w.nil();
        } else {
            w.open();
            list.forEach(w::string);
            w.close();
        }
    }

    private static void nstring(ImapWriter w, String value) {
        w.nstring(value);
    }
}
