package org.postwerk.smtp.server;

import org.postwerk.log.Sanitize;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Command;
import org.postwerk.smtp.MailParameters;
import org.postwerk.smtp.Reply;

/**
 * The service extensions we offer: the EHLO reply (RFC 5321 §4.1.1.1), a greeting line then one line per
 * extension, and whether a MAIL command stays within what was offered.
 */
final class Ehlo {
    private Ehlo() {}

    /**
     * @param startTls       offer STARTTLS (RFC 3207): TLS is available and not yet active
     * @param tlsActive      the session runs over TLS: offer REQUIRETLS (RFC 8689 §2: only a TLS session may
     *                       carry it, and a client needs to see it after STARTTLS, §4.2.1)
     * @param authMechanisms the SASL mechanisms to offer (RFC 4954), none for no AUTH line
     */
    static Reply reply(String hostname, String clientName, long maxMessageSize, boolean startTls,
                       boolean tlsActive, List<String> authMechanisms) {
        List<String> lines = new ArrayList<>();
        lines.add(hostname + " greets " + Sanitize.text(clientName, 64));
        lines.add("PIPELINING");                    // RFC 2920
        lines.add("SIZE " + maxMessageSize);        // RFC 1870
        lines.add("8BITMIME");                      // RFC 6152
        lines.add("SMTPUTF8");                      // RFC 6531
        lines.add("ENHANCEDSTATUSCODES");           // RFC 2034
        lines.add("CHUNKING");                      // RFC 3030
        lines.add("DSN");                           // RFC 3461
        if (startTls) {
            lines.add("STARTTLS");
        }
        if (tlsActive) {
            lines.add("REQUIRETLS");                // RFC 8689
        }
        if (!authMechanisms.isEmpty()) {
            lines.add("AUTH " + String.join(" ", authMechanisms));
        }
        return Reply.plain(250, lines);
    }

    /**
     * The refusal of a MAIL that uses what was not offered, or null: parameters after HELO (555, RFC 5321
     * §4.1.1.11), BODY=BINARYMIME (not offered, RFC 3030 §3), a SIZE over ours (552, RFC 1870 §6.1), a non-ASCII
     * sender without SMTPUTF8 (553 5.6.7, RFC 6531 §3.5), REQUIRETLS outside TLS (530 5.7.10, RFC 8689 §2:
     * the session carrying it must itself be TLS; not offered there either).
     */
    static Reply unoffered(Command.Mail mail, boolean esmtp, long maxMessageSize, boolean tlsActive) {
        MailParameters p = mail.parameters();
        if (!esmtp && !p.equals(MailParameters.NONE)) {
            return Replies.ESMTP_PARAMETERS_AFTER_HELO;
        }
        if (p.body() == BodyType.BINARY_MIME) {
            return Replies.BINARYMIME;
        }
        if (p.size().isPresent() && p.size().getAsLong() > maxMessageSize) {
            return Replies.TOO_BIG;
        }
        if (mail.sender().isPresent() && mail.sender().get().isInternational() && !p.smtputf8()) {
            return Replies.NOT_UTF8;
        }
        if (p.requireTls() && !tlsActive) {
            return Replies.REQUIRETLS_WITHOUT_TLS;
        }
        return null;
    }
}
