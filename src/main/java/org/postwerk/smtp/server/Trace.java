package org.postwerk.smtp.server;

import org.postwerk.log.Sanitize;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import org.postwerk.queue.Envelope;
import org.postwerk.tls.TlsInfo;

/** Header fields the server writes: the Received trace (RFC 5321 §4.4) and submission fixes (RFC 6409 §8). */
final class Trace {
    /** RFC 5322 §3.3 date-time, English names, numeric zone. */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);
    private static final SecureRandom RANDOM = new SecureRandom();

    private Trace() {}

    /**
     * {@code Received: from HELO ([IP]) (using TLS...) by HOST (Postwerk) with PROTO id ID for <RCPT>; DATE}.
     * "for" names the recipient only when there is exactly one, so recipients do not learn of each other.
     */
    static String received(Envelope envelope, String helo, InetAddress client, String hostname, String protocol,
                           TlsInfo tls) {
        StringBuilder sb = new StringBuilder(256);
        // RFC 5321 §4.1.3 address literal: [192.0.2.1] or [IPv6:2001:db8::1].
        String literal = client instanceof java.net.Inet6Address ? "IPv6:" + client.getHostAddress().replaceAll("%.*", "")
                : client.getHostAddress();
        sb.append("Received: from ").append(Sanitize.text(helo, 255)).append(" ([").append(literal).append("])\r\n");
        if (tls != null) {
            sb.append("\t(").append(tls.receivedClause()).append(")\r\n");
        }
        sb.append("\tby ").append(hostname).append(" (Postwerk) with ").append(protocol).append(" id ")
                .append(envelope.id());
        if (envelope.recipients().size() == 1) {
            sb.append("\r\n\tfor <").append(envelope.recipients().get(0).address()).append('>');
        }
        sb.append("; ").append(DATE.format(ZonedDateTime.ofInstant(envelope.received(), java.time.ZoneOffset.UTC)))
                .append("\r\n");
        return sb.toString();
    }

    /** The "with" protocol type of the Received field (RFC 3848, RFC 6531 §3.7.3). */
    static String protocol(boolean smtputf8, boolean esmtp, boolean tls, boolean authenticated) {
        if (!smtputf8 && !esmtp) {
            return "SMTP";
        }
        return (smtputf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }

    /**
     * Date, and {@code messageId} (when not null) as the Message-ID, for a submitted message that lacks them
     * (RFC 6409 §8.2, §8.3).
     */
    static byte[] submissionFields(Set<String> seen, String messageId, Clock clock) {
        StringBuilder sb = new StringBuilder();
        if (!seen.contains("date")) {
            sb.append("Date: ").append(DATE.format(ZonedDateTime.now(clock))).append("\r\n");
        }
        if (messageId != null) {
            sb.append("Message-ID: ").append(messageId).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A new, unique msg-id (RFC 5322 §3.6.4): {@code <millis.random@hostname>}. */
    static String newMessageId(String hostname, Clock clock) {
        byte[] r = new byte[12];
        RANDOM.nextBytes(r);
        return "<" + clock.millis() + "." + HexFormat.of().formatHex(r) + "@" + hostname + ">";
    }
}
