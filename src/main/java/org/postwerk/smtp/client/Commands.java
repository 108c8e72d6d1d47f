package org.postwerk.smtp.client;

import java.util.List;
import java.util.stream.Collectors;
import org.postwerk.smtp.BodyType;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Xtext;

/** The MAIL and RCPT command lines for a request, with only the parameters the peer announced. */
record Commands(Capabilities caps, MailRequest req) {
    String mail() {
        StringBuilder sb = new StringBuilder("MAIL FROM:").append(req.reversePath());
        if (caps.has("SIZE")) {
            sb.append(" SIZE=").append(req.size()); // RFC 1870 §6
        }
        if (req.body() == BodyType.EIGHT_BIT_MIME && caps.has("8BITMIME")) {
            sb.append(" BODY=8BITMIME");
        } else if (req.body() == BodyType.BINARY_MIME && caps.has("BINARYMIME")) {
            sb.append(" BODY=BINARYMIME");
        }
        if (req.smtputf8() && caps.has("SMTPUTF8")) {
            sb.append(" SMTPUTF8");
        }
        if (caps.has("DSN")) {
            if (req.ret() != null) {
                sb.append(" RET=").append(req.ret().name());
            }
            if (req.envid() != null) {
                sb.append(" ENVID=").append(Xtext.encode(req.envid()));
            }
        }
        if (req.requireTls() && caps.has("REQUIRETLS")) {
            sb.append(" REQUIRETLS"); // RFC 8689 §4.2.1: the tag goes on with the message
        }
        return sb.toString();
    }

    List<String> rcpts() {
        return req.recipients().stream().map(this::rcpt).toList();
    }

    private String rcpt(MailRequest.Rcpt r) {
        StringBuilder sb = new StringBuilder("RCPT TO:<").append(r.address()).append('>');
        if (caps.has("DSN")) {
            if (!r.notifyOn().isEmpty()) {
                sb.append(" NOTIFY=").append(r.notifyOn().stream().sorted().map(Notify::name)
                        .collect(Collectors.joining(",")));
            }
            if (r.orcpt() != null) {
                sb.append(" ORCPT=").append(r.orcpt());
            }
        }
        return sb.toString();
    }
}
