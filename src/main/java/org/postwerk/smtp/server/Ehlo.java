package org.postwerk.smtp.server;

import java.util.ArrayList;
import java.util.List;
import org.postwerk.smtp.Reply;

/** The EHLO reply (RFC 5321 §4.1.1.1): a greeting line, then one line per service extension we offer. */
final class Ehlo {
    private Ehlo() {}

    /**
     * @param startTls       offer STARTTLS (RFC 3207): TLS is available and not yet active
     * @param authMechanisms the SASL mechanisms to offer (RFC 4954), none for no AUTH line
     */
    static Reply reply(String hostname, String clientName, long maxMessageSize, boolean startTls,
                       List<String> authMechanisms) {
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
        if (!authMechanisms.isEmpty()) {
            lines.add("AUTH " + String.join(" ", authMechanisms));
        }
        return Reply.plain(250, lines);
    }
}
