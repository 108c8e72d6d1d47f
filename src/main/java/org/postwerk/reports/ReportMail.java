package org.postwerk.reports;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

/**
 * The report mail itself, as it goes into the queue (CRLF line ends, 7bit). Pure: the same input gives the same
 * message, so a test can compare it whole.
 *
 * @param from      the From address (also the envelope sender)
 * @param submitter our host name, for TLS-Report-Submitter and Message-ID
 */
public record ReportMail(String from, String submitter) {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** One report: where it goes, what it is about and the compressed document. */
    public record Attachment(String to, String policyDomain, String reportId, String fileName, byte[] gzipped) {}

    /**
     * RFC 8460 §5.3: multipart/report with report-type "tlsrpt", the TLS-Report-Domain and TLS-Report-Submitter
     * fields, a human-readable part and the report as application/tlsrpt+gzip.
     */
    public byte[] tlsRpt(Attachment a, Instant now) {
        String boundary = boundary(a);
        String head = common(a, now, "Report Domain: " + a.policyDomain() + " Submitter: " + submitter
                + " Report-ID: <" + a.reportId() + ">")
                + "TLS-Report-Domain: " + a.policyDomain() + "\r\n"
                + "TLS-Report-Submitter: " + submitter + "\r\n"
                + "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n\tboundary=\"" + boundary + "\"\r\n";
        return body(head, boundary, "This is an aggregate TLS report from " + submitter + " about "
                + a.policyDomain() + " (RFC 8460).", "application/tlsrpt+gzip", a);
    }

    /**
     * RFC 7489 §7.2.1.1: a plain message whose Subject names the report, with the report as an
     * application/gzip attachment named {@code receiver!policy-domain!begin!end.xml.gz}.
     */
    public byte[] dmarc(Attachment a, Instant now) {
        String boundary = boundary(a);
        String head = common(a, now, "Report Domain: " + a.policyDomain() + " Submitter: " + submitter
                + " Report-ID: <" + a.reportId() + ">")
                + "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n";
        return body(head, boundary, "This is a DMARC aggregate report from " + submitter + " about "
                + a.policyDomain() + " (RFC 7489).", "application/gzip", a);
    }

    private String common(Attachment a, Instant now, String subject) {
        // Auto-Submitted (RFC 3834 §5): no vacation responder or list answers a report.
        return "From: " + from + "\r\n"
                + "To: " + a.to() + "\r\n"
                + "Date: " + DATE.format(now) + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.nameUUIDFromBytes((a.reportId() + a.to()).getBytes(StandardCharsets.UTF_8))
                + "@" + submitter + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + "MIME-Version: 1.0\r\n";
    }

    private static byte[] body(String head, String boundary, String text, String type, Attachment a) {
        String b64 = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(a.gzipped());
        String msg = head + "\r\n"
                + "This is a multipart message in MIME format.\r\n\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: text/plain; charset=\"us-ascii\"\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n"
                + text + "\r\n\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: " + type + "; name=\"" + a.fileName() + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "Content-Disposition: attachment;\r\n\tfilename=\"" + a.fileName() + "\"\r\n\r\n"
                + b64 + "\r\n\r\n"
                + "--" + boundary + "--\r\n";
        return msg.getBytes(StandardCharsets.US_ASCII);
    }

    /** Base64 never contains "=_", so a boundary with it cannot occur in the body (RFC 2045 §6.8). */
    private static String boundary(Attachment a) {
        return "=_report_" + UUID.nameUUIDFromBytes(a.reportId().getBytes(StandardCharsets.UTF_8));
    }
}
