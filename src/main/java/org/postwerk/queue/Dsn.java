package org.postwerk.queue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Ret;
import org.postwerk.smtp.Xtext;

/**
 * Builds a delivery status notification: RFC 3464 {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, the {@code message/delivery-status} part and the original message ({@code message/rfc822})
 * or its header ({@code text/rfc822-headers}) as RET asks (RFC 3461 §4.3; success and delay reports carry the
 * header only).
 */
final class Dsn {
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    enum Kind {
        FAILURE("failed", "Undelivered Mail Returned to Sender"),
        DELAY("delayed", "Delayed Mail (still being retried)"),
        SUCCESS("delivered", "Successful Mail Delivery Report");

        final String action;
        final String subject;

        Kind(String action, String subject) {
            this.action = action;
            this.subject = subject;
        }
    }

    private final String reportingMta;
    private final Instant now;
    private final Instant retryUntil;

    /** @param retryUntil when delivery attempts end (for the Will-Retry-Until field of delay reports) */
    Dsn(String reportingMta, Instant now, Instant retryUntil) {
        this.reportingMta = reportingMta;
        this.now = now;
        this.retryUntil = retryUntil;
    }

    /** Writes the report to {@code out}, streaming the returned message (it may be large). */
    void write(OutputStream out, QueueEntry e, List<RecipientState> states, Kind kind, Mailbox to, Path original,
               String id) throws IOException {
        String boundary = id + "/" + reportingMta;
        StringBuilder sb = new StringBuilder(2048);
        sb.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n")
                .append("To: <").append(to).append(">\r\n")
                .append("Subject: ").append(kind.subject).append("\r\n")
                .append("Date: ").append(DATE.format(now)).append("\r\n")
                .append("Message-ID: <").append(id).append("@").append(reportingMta).append(">\r\n")
                .append("Auto-Submitted: auto-replied\r\n") // RFC 3834 §5: keeps responders from answering
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/report; report-type=delivery-status;\r\n\tboundary=\"")
                .append(boundary).append("\"\r\n\r\n")
                .append("This is a MIME-encapsulated delivery status notification.\r\n\r\n");
        sb.append("--").append(boundary).append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        human(sb, e, states, kind);
        sb.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: message/").append(global(e, states) ? "global-" : "")
                .append("delivery-status\r\n\r\n");
        status(sb, e, states, kind);
        boolean full = kind == Kind.FAILURE && e.envelope().ret() != Ret.HDRS;
        sb.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: ").append(returnedType(full, global(e, states))).append("\r\n")
                .append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        copyOriginal(original, full, out);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void human(StringBuilder sb, QueueEntry e, List<RecipientState> states, Kind kind) {
        sb.append("This is the mail system at ").append(reportingMta).append(".\r\n\r\n");
        sb.append(switch (kind) {
            case FAILURE -> "Your message could not be delivered to one or more recipients.\r\n"
                    + "It is attached below. The reasons:\r\n\r\n";
            case DELAY -> "Your message has not been delivered yet to the recipients below.\r\n"
                    + "The mail system keeps trying; you do not need to send it again.\r\n\r\n";
            case SUCCESS -> "Your message was delivered to the recipients below.\r\n\r\n";
        });
        for (RecipientState r : states) {
            sb.append("<").append(r.recipient().address()).append(">");
            if (r.lastReply() != null) {
                sb.append(r.remoteMta() != null ? ": host " + r.remoteMta() + " said: " : ": ")
                        .append(oneLine(r.lastReply()));
            }
            sb.append("\r\n");
        }
    }

    private void status(StringBuilder sb, QueueEntry e, List<RecipientState> states, Kind kind) {
        Envelope env = e.envelope();
        sb.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        sb.append("X-Postwerk-Queue-ID: ").append(env.id()).append("\r\n");
        if (env.envid() != null) {
            sb.append("Original-Envelope-Id: ").append(clean(env.envid())).append("\r\n");
        }
        sb.append("Arrival-Date: ").append(DATE.format(env.received())).append("\r\n");
        for (RecipientState r : states) {
            sb.append("\r\n");
            Mailbox a = r.recipient().address();
            // RFC 6533 §3: a non-ASCII address is of type utf-8.
            sb.append("Final-Recipient: ").append(a.isInternational() ? "utf-8; " : "rfc822; ").append(a)
                    .append("\r\n");
            if (r.recipient().orcpt() != null) {
                sb.append("Original-Recipient: ").append(orcpt(r.recipient().orcpt())).append("\r\n");
            }
            sb.append("Action: ").append(action(r, kind)).append("\r\n");
            sb.append("Status: ").append(statusCode(r, kind)).append("\r\n");
            if (r.remoteMta() != null) {
                sb.append("Remote-MTA: dns; ").append(clean(r.remoteMta())).append("\r\n");
            }
            if (r.lastReply() != null) {
                sb.append("Diagnostic-Code: smtp; ").append(oneLine(r.lastReply())).append("\r\n");
            }
            sb.append("Last-Attempt-Date: ").append(DATE.format(now)).append("\r\n");
            if (kind == Kind.DELAY) {
                sb.append("Will-Retry-Until: ").append(DATE.format(retryUntil)).append("\r\n");
            }
        }
    }

    /** RFC 6533 §3, §6: an internationalized message or address is reported with the "global" types. */
    private static boolean global(QueueEntry e, List<RecipientState> states) {
        return e.envelope().smtputf8() || states.stream().anyMatch(r -> r.recipient().address().isInternational());
    }

    private static String returnedType(boolean full, boolean global) {
        if (global) {
            return full ? "message/global" : "message/global-headers";
        }
        return full ? "message/rfc822" : "text/rfc822-headers";
    }

    private static String action(RecipientState r, Kind kind) {
        return switch (r.status()) {
            case RELAYED -> "relayed";
            case EXPANDED -> "expanded";
            default -> kind.action;
        };
    }

    /** The enhanced status of the reply (RFC 3463), or a generic one for the kind of report. */
    static String statusCode(RecipientState r, Kind kind) {
        String reply = r.lastReply();
        if (reply != null) {
            String[] parts = reply.split("[ -]", 3);
            if (parts.length > 1 && parts[1].matches("[245]\\.\\d{1,3}\\.\\d{1,3}")) {
                return parts[1];
            }
            if (!reply.isEmpty() && "245".indexOf(reply.charAt(0)) >= 0) {
                return reply.charAt(0) + ".0.0";
            }
        }
        return switch (kind) {
            case FAILURE -> "5.0.0";
            case DELAY -> "4.0.0";
            case SUCCESS -> "2.0.0";
        };
    }

    /** ORCPT is xtext on the wire (RFC 3461 §4.2); the report shows it decoded. */
    private static String orcpt(String raw) {
        int semi = raw.indexOf(';');
        String decoded = semi < 0 ? null : Xtext.decode(raw.substring(semi + 1));
        return semi < 0 || decoded == null ? clean(raw) : raw.substring(0, semi) + "; " + clean(decoded);
    }

    /** A multi-line reply on one header line: lines joined with a space, control characters dropped. */
    static String oneLine(String reply) {
        return clean(reply.replace("\r\n", " ").replace('\n', ' '));
    }

    private static String clean(String s) {
        return s.replaceAll("[\\x00-\\x1f\\x7f]", "");
    }

    private static void copyOriginal(Path original, boolean full, OutputStream out) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(original))) {
            if (full) {
                in.transferTo(out);
                return;
            }
            // The header section ends at the first empty line (RFC 5322 §2.1).
            int prev2 = -1;
            int prev = -1;
            int c;
            while ((c = in.read()) >= 0) {
                out.write(c);
                if (c == '\n' && prev == '\r' && prev2 == '\n') {
                    return;
                }
                prev2 = prev;
                prev = c;
            }
        }
    }
}
