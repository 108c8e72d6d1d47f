package org.postwerk.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.postwerk.smtp.EnhancedStatus;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Ret;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.smtp.Xtext;

/**
 * Builds a delivery status notification: RFC 3464 {@code multipart/report; report-type=delivery-status} with a
 * human-readable part, the {@code message/delivery-status} part and the original message ({@code message/rfc822})
 * or its header ({@code text/rfc822-headers}) as RET asks (RFC 3461 §4.3; success and delay reports carry the
 * header only), never more than the configured cap of it ({@link Returned}). Each recipient is reported from its
 * typed {@link Reason}: only a remote MTA's reply is written as "host X said", {@code Remote-MTA} and
 * {@code Diagnostic-Code: smtp}.
 */
final class Dsn {
    /** RFC 5322 §3.3 date-time, the zone as {@code +0000} ("GMT" is obsolete syntax). */
    static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** The most of one reply a report quotes. */
    static final int MAX_QUOTE = 1000;

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
    private final long maxReturn;

    /**
     * @param retryUntil when delivery attempts end (for the Will-Retry-Until field of delay reports)
     * @param maxReturn  at most this many bytes of the original go back
     */
    Dsn(String reportingMta, Instant now, Instant retryUntil, long maxReturn) {
        this.reportingMta = reportingMta;
        this.now = now;
        this.retryUntil = retryUntil;
        this.maxReturn = maxReturn;
    }

    /** Writes the report to {@code out}, streaming the returned part of the original. */
    void write(OutputStream out, QueueEntry e, List<RecipientState> states, Kind kind, Mailbox to, Path original,
               String id) throws IOException {
        // RFC 8689 §5: the report of a REQUIRETLS message travels with REQUIRETLS itself (Reports), and returns only
        // the header section, so the content cannot leak even where the way back is weaker than the way out.
        boolean wantsWhole = kind == Kind.FAILURE && e.envelope().ret() != Ret.HDRS
                && e.envelope().tls() != TlsRequirement.REQUIRED;
        Returned returned = Returned.of(original, wantsWhole, maxReturn);
        boolean global = global(e, states);
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
        human(sb, e, states, kind, returned, wantsWhole);
        sb.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: message/").append(global ? "global-" : "")
                .append("delivery-status\r\n\r\n");
        status(sb, e, states, kind);
        sb.append("\r\n--").append(boundary).append("\r\n")
                .append("Content-Type: ").append(returnedType(returned.whole(), global)).append("\r\n")
                .append("Content-Transfer-Encoding: 8bit\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        returned.copy(out);
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private void human(StringBuilder sb, QueueEntry e, List<RecipientState> states, Kind kind, Returned returned,
                       boolean wantedWhole) {
        String attached = returned.whole() ? "It is attached below." : "Its header is attached below.";
        sb.append("This is the mail system at ").append(reportingMta).append(".\r\n\r\n");
        sb.append(switch (kind) {
            case FAILURE -> (e.envelope().sender().isEmpty()
                    ? "A message without a return path (<>) could not be delivered to one or more recipients,\r\n"
                    + "so this report comes to the postmaster.\r\n"
                    : "Your message could not be delivered to one or more recipients.\r\n") + attached;
            case DELAY -> "Your message has not been delivered yet to the recipients below.\r\n"
                    + "The mail system keeps trying; you do not need to send it again.";
            case SUCCESS -> "Your message was delivered to the recipients below.";
        }).append("\r\n");
        if (wantedWhole && !returned.whole()) {
            sb.append("The message is larger than ").append(maxReturn)
                    .append(" bytes, so only its header comes back, cut to at most that size.\r\n");
        }
        sb.append("\r\n");
        for (RecipientState r : states) {
            sb.append("<").append(r.recipient().address()).append(">: ");
            if (r.state() instanceof State.Expired) {
                sb.append("no delivery before the message's time in the queue ran out; the last attempt: ");
            }
            r.reason().ifPresent(reason -> sb.append(explain(reason)));
            sb.append("\r\n");
        }
    }

    /** "host X said: ..." only for what a remote MTA said; our own findings in our words. */
    private static String explain(Reason reason) {
        return switch (reason) {
            case Reason.Remote r -> "host " + clean(r.mta()) + " said: " + oneLine(r.reply().toString())
                    + (r.command() == null ? "" : " (in reply to " + clean(r.command()) + ")");
            case Reason.Local l -> text(l);
        };
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
            sb.append("Status: ").append(statusCode(r)).append("\r\n");
            r.reason().ifPresent(reason -> diagnostic(sb, reason));
            sb.append("Last-Attempt-Date: ").append(DATE.format(now)).append("\r\n");
            if (kind == Kind.DELAY) {
                sb.append("Will-Retry-Until: ").append(DATE.format(retryUntil)).append("\r\n");
            }
        }
    }

    /**
     * RFC 3464 §2.3.5-2.3.6: Remote-MTA and an "smtp" Diagnostic-Code say what a remote MTA answered. What we
     * found ourselves has no remote MTA; like Postfix ("X-Postfix;") we give it a diagnostic type of our own.
     */
    private static void diagnostic(StringBuilder sb, Reason reason) {
        switch (reason) {
            case Reason.Remote r -> sb.append("Remote-MTA: dns; ").append(clean(r.mta())).append("\r\n")
                    .append("Diagnostic-Code: smtp; ").append(oneLine(r.reply().toString())).append("\r\n");
            case Reason.Local l -> sb.append("Diagnostic-Code: X-Postwerk; ").append(text(l)).append("\r\n");
        }
    }

    /** RFC 6533 §3, §6: an internationalized message or address is reported with the "global" types. */
    private static boolean global(QueueEntry e, List<RecipientState> states) {
        return e.envelope().smtputf8() || states.stream().anyMatch(r -> r.recipient().address().isInternational());
    }

    private static String returnedType(boolean whole, boolean global) {
        if (global) {
            return whole ? "message/global" : "message/global-headers";
        }
        return whole ? "message/rfc822" : "text/rfc822-headers";
    }

    private static String action(RecipientState r, Kind kind) {
        return switch (r.state()) {
            case State.Delivered d when d.duty() == DsnDuty.RELAYED -> "relayed";
            case State.Expanded x -> "expanded";
            default -> kind.action;
        };
    }

    /**
     * RFC 3463: the class says what happened to the recipient (2 delivered, 4 still trying or given up on a
     * temporary problem, 5 failed), subject and detail come from the reply (a 5xx greeting that made us defer
     * reads 4.x.x; a reply without enhanced status x.0.0).
     */
    static String statusCode(RecipientState r) {
        int klass = switch (r.state()) {
            case State.Delivered d -> 2;
            case State.Expanded x -> 2;
            case State.Failed f -> 5;
            case State.Pending p -> 4;
            case State.Deferred d -> 4;
            case State.Expired x -> 4;
        };
        EnhancedStatus s = r.reason().map(reason -> reason.reply().status()).orElse(null);
        return s == null ? klass + ".0.0" : klass + "." + s.subject() + "." + s.detail();
    }

    /** ORCPT is xtext on the wire (RFC 3461 §4.2); the report shows it decoded. */
    private static String orcpt(String raw) {
        int semi = raw.indexOf(';');
        String decoded = semi < 0 ? null : Xtext.decode(raw.substring(semi + 1));
        return semi < 0 || decoded == null ? clean(raw) : raw.substring(0, semi) + "; " + clean(decoded);
    }

    /** Our own reply's text lines, on one line. */
    private static String text(Reason.Local l) {
        return bounded(clean(String.join(" ", l.reply().lines())));
    }

    /** A multi-line reply on one header line: lines joined with a space, control characters dropped. */
    static String oneLine(String reply) {
        return bounded(clean(reply.replace("\r\n", " ").replace('\n', ' ')));
    }

    /** A peer may answer with 100 lines of 4 KB (what we read of a reply): a report quotes the start. */
    private static String bounded(String text) {
        return text.length() <= MAX_QUOTE ? text : text.substring(0, MAX_QUOTE) + "...";
    }

    private static String clean(String s) {
        return s.replaceAll("[\\x00-\\x1f\\x7f]", "");
    }
}
