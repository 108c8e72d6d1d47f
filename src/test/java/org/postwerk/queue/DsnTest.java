package org.postwerk.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.postwerk.queue.QueueTest.MESSAGE;
import static org.postwerk.queue.QueueTest.envelope;
import static org.postwerk.queue.QueueTest.mailbox;
import static org.postwerk.queue.QueueTest.rcpt;
import static org.postwerk.queue.QueueTest.remote;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.smtp.Notify;
import org.postwerk.io.PosixDisk;
import org.postwerk.testkit.ManualClock;

class DsnTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(QueueTest.T0);

    private Queue open() throws IOException {
        return new Queue(dir, QueueTest.SETTINGS, clock, new PosixDisk());
    }

    private static QueueEntry only(Queue q) {
        assertThat(q.entries()).hasSize(1);
        return q.entries().iterator().next();
    }

    private static MimeMessage parse(Queue q, QueueEntry e) throws Exception {
        try (InputStream in = Files.newInputStream(q.message(e.id()))) {
            return new MimeMessage(Session.getInstance(new Properties()), in);
        }
    }

    @Test
    void failureProducesParseableReportNamingRecipientMtaAndReply() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m1", "alice@example.org", rcpt("bob@example.net"),
                    new Recipient(mailbox("carol@example.net"), Set.of(), "rfc822;carol+2Bx@example.net")), MESSAGE);
            q.record("m1", Map.of(0, new Result.Failed(remote("550 5.1.1 <bob@example.net>: no such user",
                            "mx1.example.net [192.0.2.1]", "RCPT TO:<bob@example.net>")),
                    1, new Result.Delivered(remote("250 2.0.0 ok", "mx1.example.net [192.0.2.1]", null),
                            DsnDuty.FINAL)));
            QueueEntry bounce = only(q);
            assertThat(bounce.envelope().sender()).isEmpty();
            assertThat(bounce.recipients().get(0).recipient().address()).isEqualTo(mailbox("alice@example.org"));

            MimeMessage m = parse(q, bounce);
            assertThat(m.getContentType()).startsWith("multipart/report");
            assertThat(m.getContentType()).contains("report-type=delivery-status");
            Multipart mp = (Multipart) m.getContent();
            assertThat(mp.getCount()).isEqualTo(3);
            assertThat(mp.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
            String status = new String(mp.getBodyPart(1).getInputStream().readAllBytes());
            assertThat(status).contains("Reporting-MTA: dns; mx.test", "Original-Envelope-Id: env-1",
                    "Final-Recipient: rfc822; bob@example.net", "Action: failed", "Status: 5.1.1",
                    "Remote-MTA: dns; mx1.example.net [192.0.2.1]",
                    "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: no such user");
            assertThat(status).doesNotContain("carol");
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("message/rfc822");
            assertThat(new String(mp.getBodyPart(2).getInputStream().readAllBytes())).contains("Hello");
        }
    }

    @Test
    void nullSenderFailureGoesToPostmasterOnceAndDoubleBounceStops() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m2", null, rcpt("bob@example.net")), MESSAGE);
            q.record("m2", Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            QueueEntry dbl = only(q);
            assertThat(dbl.recipients().get(0).recipient().address()).isEqualTo(mailbox("postmaster@test"));
            q.record(dbl.id(), Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            assertThat(q.entries()).isEmpty();
        }
    }

    @Test
    void successReportWhenAskedAndRelayedAction() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m3", "alice@example.org",
                    new Recipient(mailbox("bob@example.net"), Set.of(Notify.SUCCESS), null),
                    new Recipient(mailbox("dave@example.net"), Set.of(Notify.NEVER), null)), MESSAGE);
            q.record("m3", Map.of(0, new Result.Delivered(remote("250 2.0.0 ok", "mx", null), DsnDuty.RELAYED),
                    1, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            MimeMessage m = parse(q, only(q));
            Multipart mp = (Multipart) m.getContent();
            String status = new String(mp.getBodyPart(1).getInputStream().readAllBytes());
            assertThat(status).contains("Action: relayed").doesNotContain("dave");
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        }
    }

    @Test
    void expiryFailsWithLastReplyAndDelayWarningGoesOnce() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m4", "alice@example.org", rcpt("bob@example.net")), MESSAGE);
            clock.advance(Duration.ofMinutes(25));
            q.record("m4", Map.of(0, new Result.Deferred(remote("451 4.7.1 greylisted", "mx", null))));
            assertThat(q.entries()).hasSize(2);
            QueueEntry warning = q.entries().stream().filter(e -> !e.id().equals("m4")).findFirst().orElseThrow();
            assertThat(new String(Files.readAllBytes(q.message(warning.id())))).contains("Action: delayed",
                    "Will-Retry-Until: Thu, 1 Jan 2026 11:00:00 +0000");
            q.delete(warning.id());
            clock.advance(Duration.ofHours(1));
            assertThat(q.record("m4", Map.of(0, new Result.Deferred(remote("451 4.7.1 greylisted", "mx", null)))))
                    .isEmpty();
            String bounce = new String(Files.readAllBytes(q.message(only(q).id())));
            assertThat(bounce).contains("Action: failed", "Status: 4.7.1", "451 4.7.1 greylisted");
        }
    }

    @Test
    void internationalRecipientIsReportedWithGlobalTypes() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m6", "alice@example.org", rcpt("jörg@example.net")), MESSAGE);
            q.record("m6", Map.of(0, new Result.Failed(remote("550 5.1.1 unknown", "mx", null))));
            String dsn = Files.readString(q.message(only(q).id()), StandardCharsets.UTF_8);
            assertThat(dsn).contains("Content-Type: message/global-delivery-status", "Content-Type: message/global\r\n",
                    "Final-Recipient: utf-8; jörg@example.net");
        }
    }

    @Test
    void operatorBounceUsesHeadersOnlyWhenRetHdrs() throws Exception {
        try (Queue q = open()) {
            Envelope e = envelope("m5", "alice@example.org", rcpt("bob@example.net"));
            q.submit(new Envelope(e.id(), e.sender(), e.recipients(), e.body(), false, org.postwerk.smtp.Ret.HDRS,
                    null, e.received(), null, null), MESSAGE);
            assertThat(q.bounce("m5")).isTrue();
            MimeMessage m = parse(q, only(q));
            Multipart mp = (Multipart) m.getContent();
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
            assertThat(new String(mp.getBodyPart(2).getInputStream().readAllBytes())).doesNotContain("Hello");
            assertThat(List.of(m.getHeader("Auto-Submitted"))).containsExactly("auto-replied");
        }
    }
    /**
     * RFC 8689 §5: the report on a REQUIRETLS message is itself REQUIRETLS, and returns only the header even when
     * RET=FULL was asked for, so the content cannot leak on the way back.
     */
    @Test
    void bounceOfARequireTlsMessageHasRequireTlsAndOnlyTheHeader() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m9", "alice@example.org", rcpt("bob@example.net"))
                    .withTls(org.postwerk.smtp.TlsRequirement.REQUIRED), MESSAGE);
            q.record("m9", Map.of(0, new Result.Failed(new Reason.Local(org.postwerk.smtp.Reply.of(550, 5, 7, 30,
                    "REQUIRETLS support required")))));
            QueueEntry bounce = only(q);
            assertThat(bounce.envelope().tls()).isEqualTo(org.postwerk.smtp.TlsRequirement.REQUIRED);
            Multipart mp = (Multipart) parse(q, bounce).getContent();
            assertThat(new String(mp.getBodyPart(1).getInputStream().readAllBytes())).contains("Status: 5.7.30");
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
            assertThat(new String(mp.getBodyPart(2).getInputStream().readAllBytes())).doesNotContain("Hello");
        }
        try (Queue q = open()) { // and the DSN's own tag is durable
            assertThat(only(q).envelope().tls()).isEqualTo(org.postwerk.smtp.TlsRequirement.REQUIRED);
        }
    }

    @Test
    void bounceOfATlsRequiredNoMessageIsAnOrdinaryOne() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m10", "alice@example.org", rcpt("bob@example.net"))
                    .withTls(org.postwerk.smtp.TlsRequirement.NOT_REQUIRED), MESSAGE);
            q.record("m10", Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            QueueEntry bounce = only(q);
            assertThat(bounce.envelope().tls()).isEqualTo(org.postwerk.smtp.TlsRequirement.POLICY);
            Multipart mp = (Multipart) parse(q, bounce).getContent();
            assertThat(mp.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        }
    }

    /** The part of a report after its last MIME part header: the returned original (or its header). */
    private static String returned(String dsn) {
        String tail = dsn.substring(dsn.lastIndexOf("Content-Transfer-Encoding: 8bit\r\n\r\n") + 35);
        return tail.substring(0, tail.lastIndexOf("\r\n--"));
    }

    private List<String> reports(Queue q, String orig) throws IOException {
        List<String> out = new java.util.ArrayList<>();
        for (QueueEntry e : q.entries()) {
            if (!e.id().equals(orig)) {
                out.add(Files.readString(q.message(e.id()), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** DSN reflection: whatever someone sends, a report returns at most the cap of it (default 50,000 bytes). */
    @Test
    void everyReportReturnsAtMostTheCapOfATenMegabyteHeader() throws Exception {
        StringBuilder header = new StringBuilder(10_100_000);
        for (int i = 0; header.length() < 10_000_000; i++) {
            header.append("X-Pad-").append(i).append(": ").append("p".repeat(900)).append("\r\n");
        }
        byte[] big = (header + "Subject: big\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8);
        Set<Notify> all = Set.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY);
        try (Queue q = open()) {
            q.submit(envelope("m7", "alice@example.org", new Recipient(mailbox("b@example.net"), all, null),
                    new Recipient(mailbox("c@example.net"), all, null),
                    new Recipient(mailbox("d@example.net"), all, null)), big);
            clock.advance(Duration.ofMinutes(25)); // past the delay warning
            q.record("m7", Map.of(0, new Result.Delivered(remote("250 2.0.0 ok", "mx", "end of data"),
                            DsnDuty.RELAYED),
                    1, new Result.Failed(remote("550 5.1.1 no", "mx", "RCPT TO:<c@example.net>")),
                    2, new Result.Deferred(remote("451 4.7.1 later", "mx", "RCPT TO:<d@example.net>"))));
            q.submit(envelope("m8", null, rcpt("e@example.net")), big);
            q.record("m8", Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            List<String> dsns = reports(q, "m7"); // m8 is done and gone; its report to the postmaster is here
            assertThat(dsns).hasSize(4).anyMatch(d -> d.contains("Action: relayed"))
                    .anyMatch(d -> d.contains("Action: failed") && d.contains("To: <alice@example.org>"))
                    .anyMatch(d -> d.contains("Action: delayed"))
                    .anyMatch(d -> d.contains("To: <postmaster@test>"));
            for (String d : dsns) {
                String back = returned(d);
                assertThat(d).contains("Content-Type: text/rfc822-headers\r\n");
                assertThat(back.length()).isBetween(49_000, 50_000);
                assertThat(back).startsWith("X-Pad-0: ").endsWith("\r\n").doesNotContain("Subject: big");
                assertThat(d.length()).isLessThan(50_000 + 5_000);
            }
        }
    }

    @Test
    void aMessageOverTheCapComesBackAsItsHeaderCutAtALineBoundary() throws Exception {
        QueueSettings small = new QueueSettings(QueueTest.SETTINGS.retry(), "mx.test", QueueTest.SETTINGS.postmaster(),
                100);
        byte[] message = ("A: " + "a".repeat(25) + "\r\n").repeat(5).concat("\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        try (Queue q = new Queue(dir, small, clock, new PosixDisk())) {
            q.submit(envelope("m9", "alice@example.org", rcpt("b@example.net")), message);
            q.record("m9", Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            String dsn = reports(q, "m9").getFirst();
            assertThat(returned(dsn)).isEqualTo(("A: " + "a".repeat(25) + "\r\n").repeat(3)); // 90 of 100 bytes
            assertThat(dsn).contains("Its header is attached below.",
                    "The message is larger than 100 bytes, so only its header comes back");
        }
        QueueSettings thousand = new QueueSettings(small.retry(), "mx.test", small.postmaster(), 1000);
        try (Queue q = new Queue(dir.resolve("second"), thousand, clock, new PosixDisk())) {
            q.submit(envelope("m10", "alice@example.org", rcpt("b@example.net")),
                    ("Subject: hi\r\n\r\n" + "b".repeat(2000) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            q.record("m10", Map.of(0, new Result.Failed(remote("550 5.1.1 no", "mx", null))));
            assertThat(returned(reports(q, "m10").getFirst())).as("the whole header, with its empty line")
                    .isEqualTo("Subject: hi\r\n\r\n");
        }
    }

    @Test
    void onlyARemoteMtasReplyIsWrittenAsItsWords() throws Exception {
        try (Queue q = open()) {
            q.submit(envelope("m11", "alice@example.org", rcpt("b@nullmx.example"), rcpt("c@example.net")), MESSAGE);
            q.record("m11", Map.of(0, new Result.Failed(QueueTest.local(
                            "556 5.1.10 Recipient domain does not accept mail (null MX)")),
                    1, new Result.Failed(remote("550 5.1.1 no such user", "mx1 [192.0.2.1]",
                            "RCPT TO:<c@example.net>"))));
            String dsn = reports(q, "m11").getFirst();
            assertThat(dsn).contains("<b@nullmx.example>: Recipient domain does not accept mail (null MX)\r\n",
                    "<c@example.net>: host mx1 [192.0.2.1] said: 550 5.1.1 no such user"
                            + " (in reply to RCPT TO:<c@example.net>)",
                    "Diagnostic-Code: X-Postwerk; Recipient domain does not accept mail (null MX)\r\n",
                    "Remote-MTA: dns; mx1 [192.0.2.1]\r\nDiagnostic-Code: smtp; 550 5.1.1 no such user\r\n",
                    "Status: 5.1.10", "Status: 5.1.1");
            assertThat(dsn.split("Remote-MTA:", -1)).hasSize(2);
            assertThat(dsn).doesNotContain(" GMT");
        }
    }
    @Test
    void aLongReplyIsQuotedOnlyInPart() throws Exception {
        String lines = ("550-5.1.1 " + "x".repeat(200) + "\r\n").repeat(99) + "550 5.1.1 end";
        try (Queue q = open()) {
            q.submit(envelope("m12", "alice@example.org", rcpt("b@example.net")), MESSAGE);
            q.record("m12", Map.of(0, new Result.Failed(remote(lines, "mx", "RCPT TO:<b@example.net>"))));
            String dsn = reports(q, "m12").getFirst();
            assertThat(dsn.lines().filter(l -> l.startsWith("Diagnostic-Code: smtp; 550-5.1.1 xxx")))
                    .singleElement().satisfies(l -> assertThat(l)
                            .hasSize("Diagnostic-Code: smtp; ".length() + Dsn.MAX_QUOTE + 3).endsWith("..."));
            assertThat(dsn.length()).isLessThan(4000 + MESSAGE.length);
        }
    }
}
