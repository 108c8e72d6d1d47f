package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions;
import org.postwerk.config.Timeouts;
import org.postwerk.io.DiskSpace;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/** Session behaviour that needs more than a transcript: message content, limits, timeouts, shutdown. */
class SmtpSessionTest {
    @TempDir
    Path data;

    private static SmtpScript hello(SmtpScript s) throws IOException {
        return s.expect("220 .*").send("EHLO client.example.net").expect("250 .*");
    }

    private static void transaction(SmtpScript s, String rcpt) throws IOException {
        s.send("MAIL FROM:<sender@example.net>").expect("250 .*").send("RCPT TO:<" + rcpt + ">").expect("250 .*");
    }

    @Test
    void ehloAdvertisesExtensionsButNoAuthOrStartTlsWithoutTls() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            s.expect("220 mx\\.example\\.org ESMTP Postwerk").send("EHLO client.example.net");
            List<String> lines = s.reply();
            assertThat(lines).extracting(l -> l.substring(4)).containsExactly(
                    "mx.example.org greets client.example.net", "PIPELINING", "SIZE 1048576", "8BITMIME",
                    "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING", "DSN");
        }
    }

    @Test
    void storedMessageIsByteExactWithTraceAndReturnPath() throws Exception {
        String body = "Subject: exact\r\n\r\nline one\r\n..dot\r\n.\u00e9t\u00e9 8bit\r\n\r\n";
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            s.send("MAIL FROM:<sender@example.net> BODY=8BITMIME").expect("250 .*")
                    .send("RCPT TO:<alice@example.org>").expect("250 .*")
                    .send("DATA").expect("354 .*").raw(body + ".\r\n").expect("250 2\\.0\\.0 OK queued as (\\w+)");
            String stored = server.onlyMessage("alice@example.org");
            assertThat(stored).startsWith("Return-Path: <sender@example.net>\r\nReceived: from client.example.net ([127.0.0.1])\r\n"
                    + "\tby mx.example.org (Postwerk) with ESMTP id ");
            assertThat(stored).contains("\r\n\tfor <alice@example.org>; ");
            assertThat(stored).endsWith("Subject: exact\r\n\r\nline one\r\n.dot\r\n\u00e9t\u00e9 8bit\r\n\r\n");
            Path file = server.inbox("alice@example.org").get(0);
            // File size and CRLF size in the name (ADR 0012): the file holds LF line ends.
            assertThat(file.getFileName().toString()).endsWith(",S=" + Files.size(file) + ",W="
                    + stored.getBytes(StandardCharsets.UTF_8).length);
            assertThat(Files.readString(file)).doesNotContain("\r\n");
            assertThat(Files.list(file.getParent().resolveSibling("tmp"))).isEmpty();
        }
    }

    /**
     * The DATA that {@code curl smtp://... --upload-file FILE} sends (curl's lib/smtp.c): the file as it is,
     * a '.' doubled only where it follows CRLF (or starts the file), then CRLF.CRLF, or only ".CRLF" when the
     * file ends in CRLF. An LF-only file therefore arrives with bare LFs and undoubled dots.
     */
    private static byte[] likeCurl(String file) {
        byte[] eob = {'\r', '\n', '.', '\r', '\n'};
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int matched = 2; // the first byte counts as following a CRLF
        for (byte b : file.getBytes(StandardCharsets.UTF_8)) {
            if (matched >= 3) {
                out.write('.');
                matched = 0;
            }
            if (b != eob[matched]) {
                matched = 0;
            }
            if (b == eob[matched]) {
                matched++;
            }
            out.write(b);
        }
        byte[] end = matched == 2 ? new byte[] {'.', '\r', '\n'}
                : matched == 3 ? ".\r\n.\r\n".getBytes(StandardCharsets.US_ASCII) : eob;
        out.writeBytes(end);
        return out.toByteArray();
    }

    @Test
    void anLfOnlyFileUploadedLikeCurlIsStoredWithCrLf() throws Exception {
        String file = "From: script@example.net\nTo: alice@example.org\nSubject: nightly report\n\n"
                + "line one\n.leading dot\n..two dots\n.\nlast line\n";
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw(likeCurl(file)).expect("250 2\\.0\\.0 OK queued as \\w+");
            s.send("QUIT").expect("221 .*");
            // curl ends an LF-only file with CRLF.CRLF: the last LF and that CRLF make one empty line more.
            assertThat(server.onlyMessage("alice@example.org")).endsWith(file.replace("\n", "\r\n") + "\r\n")
                    .doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
        }
    }

    @Test
    void withRejectAnLfOnlyFileIsRefusedAndNothingStored() throws Exception {
        try (TestServer server = new TestServer(data).bareNewline(SmtpOptions.BareNewline.REJECT).start();
             SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw(likeCurl("Subject: x\n\nbody\n"))
                    .expect("550 5\\.5\\.2 Message contains a bare CR or LF; lines must end with CRLF");
            assertThat(server.inbox("alice@example.org")).isEmpty();
        }
    }

    @Test
    void aFakeEndOfDataIsStoredAsContentWhenNormalizing() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: one\r\n\r\nbody\n.\nMAIL FROM:<evil@example.net>\r\n"
                    + "RCPT TO:<bob@example.org>\r\nDATA\r\n\r\nsmuggled\r\n.\r\n").expect("250 2\\.0\\.0 .*");
            s.send("NOOP").expect("250 2\\.0\\.0 OK"); // the very next reply: no smuggled command was run
            assertThat(server.onlyMessage("alice@example.org")).endsWith("Subject: one\r\n\r\nbody\r\n.\r\n"
                    + "MAIL FROM:<evil@example.net>\r\nRCPT TO:<bob@example.org>\r\nDATA\r\n\r\nsmuggled\r\n");
            assertThat(server.inbox("bob@example.org")).isEmpty();
        }
    }

    @Test
    void incomingReturnPathIsDroppedAndNoSubmissionFieldsAreAddedOnMx() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*")
                    .raw("Return-Path: <forged@example.net>\r\n  continued\r\nSubject: x\r\n\r\nbody\r\n.\r\n")
                    .expect("250 .*");
            String stored = server.onlyMessage("alice@example.org");
            assertThat(stored).doesNotContain("forged").doesNotContain("continued");
            assertThat(stored).doesNotContain("Message-ID:").doesNotContain("\r\nDate:");
        }
    }

    @Test
    void messageWithoutHeaderSeparatorGetsOne() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: x\r\njust a body line\r\n.\r\n").expect("250 .*");
            assertThat(server.onlyMessage("alice@example.org")).endsWith("Subject: x\r\n\r\njust a body line\r\n");
        }
    }

    @Test
    void sizeLimitAtMailAndDuringData() throws Exception {
        Limits small = new Limits(100, 100, 512, 1000, 100, 20, 30, 3, Duration.ZERO);
        try (TestServer server = new TestServer(data).limits(small).start(); SmtpScript s = server.connect()) {
            hello(s);
            s.send("MAIL FROM:<a@example.net> SIZE=101").expect("552 5\\.3\\.4 .*");
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: big\r\n\r\n" + "x".repeat(200) + "\r\n.\r\n")
                    .expect("552 5\\.3\\.4 Message size exceeds fixed maximum message size");
            transaction(s, "alice@example.org");
            s.raw("BDAT 150 LAST\r\n" + "y".repeat(150)).expect("552 5\\.3\\.4 .*");
            s.send("NOOP").expect("250 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
        }
    }

    @Test
    void aNearlyFullDiskIsRefusedAtMailAndRcptWith452() throws Exception {
        java.util.concurrent.atomic.AtomicLong free = new java.util.concurrent.atomic.AtomicLong(10_000);
        DiskSpace disk = new DiskSpace(free::get, 1_000, Duration.ZERO, System::nanoTime);
        try (TestServer server = new TestServer(data).disk(disk).start(); SmtpScript s = server.connect()) {
            hello(s);
            s.send("MAIL FROM:<a@example.net> SIZE=9500").expect("452 4\\.3\\.1 Insufficient system storage.*");
            s.send("MAIL FROM:<a@example.net> SIZE=5000").expect("250 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 .*");
            free.set(5_500); // filled up meanwhile: 5500 - 5000 leaves less than the reserve
            s.send("RCPT TO:<bob@example.org>").expect("452 4\\.3\\.1 .*");
            s.send("RSET").expect("250 .*");
            s.send("MAIL FROM:<a@example.net>").expect("250 .*");
            s.send("RCPT TO:<bob@example.org>").expect("250 .*");
            free.set(999);
            s.send("RCPT TO:<alice@example.org>").expect("452 4\\.3\\.1 .*");
            s.send("RSET").expect("250 .*").send("MAIL FROM:<a@example.net>").expect("452 4\\.3\\.1 .*");
            free.set(1_000);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: fits\r\n\r\nx\r\n.\r\n").expect("250 .*");
        }
    }

    @Test
    void textLineLimitAndCommandLineLimit() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            s.send("NOOP " + "a".repeat(600)).expect("500 5\\.5\\.2 Line too long");
            s.send("NOOP " + "a".repeat(505)).expect("250 .*"); // 5 + 505 + CRLF = 512: at the limit
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: long\r\n\r\n" + "x".repeat(999) + "\r\n.\r\n")
                    .expect("550 5\\.5\\.2 Message contains a line that is too long");
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: long\r\n\r\n" + "x".repeat(998) + "\r\n.\r\n")
                    .expect("250 .*");
        }
    }

    @Test
    void recipientLimitGives452() throws Exception {
        Limits two = new Limits(1 << 20, 2, 512, 1000, 100, 20, 30, 3, Duration.ZERO);
        try (TestServer server = new TestServer(data).limits(two).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("RCPT TO:<bob@example.org>").expect("250 .*");
            s.send("RCPT TO:<postmaster@example.org>").expect("452 4\\.5\\.3 Too many recipients");
        }
    }

    @Test
    void tooManyErrorsCloseTheSession() throws Exception {
        Limits three = new Limits(1 << 20, 100, 512, 1000, 100, 20, 3, 3, Duration.ZERO);
        try (TestServer server = new TestServer(data).limits(three).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*");
            s.send("BAD").expect("500 .*").send("BAD").expect("500 .*").send("BAD").expect("500 .*")
                    .expect("421 4\\.7\\.0 Too many errors, closing connection");
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void connectionsPerAddressAreLimited() throws Exception {
        Limits one = new Limits(1 << 20, 100, 512, 1000, 100, 1, 30, 3, Duration.ZERO);
        try (TestServer server = new TestServer(data).limits(one).start(); SmtpScript first = server.connect()) {
            first.expect("220 .*");
            try (SmtpScript second = server.connect()) {
                second.expect("421 4\\.7\\.0 Too many connections from your address");
                assertThat(second.closedByServer()).isTrue();
            }
            first.send("QUIT").expect("221 .*");
        }
    }

    @Test
    void totalConnectionsAreLimited() throws Exception {
        Limits one = new Limits(1 << 20, 100, 512, 1000, 1, 10, 30, 3, Duration.ZERO);
        try (TestServer server = new TestServer(data).limits(one).start(); SmtpScript first = server.connect()) {
            first.expect("220 .*");
            try (SmtpScript second = server.connect()) {
                second.expect("421 4\\.7\\.0 Too many connections, try again later");
            }
        }
    }

    @Test
    void silentClientTimesOutWith421() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMinutes(1));
        try (TestServer server = new TestServer(data).timeouts(quick).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").expect("421 4\\.4\\.2 Timeout exceeded, closing connection");
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void slowDripClientIsCutOffByTheSessionDeadline() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMillis(800));
        try (TestServer server = new TestServer(data).timeouts(quick).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*");
            long start = System.nanoTime();
            try {
                for (int i = 0; i < 40; i++) { // one byte every 100 ms never completes a line in time
                    s.raw("N");
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // the server closed on us: expected
            }
            assertThat(s.reply().get(0)).startsWith("421 4.4.2");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void dataBlockTimeoutInTheMiddleOfData() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofSeconds(5), Duration.ofMillis(300), Duration.ofMinutes(1));
        try (TestServer server = new TestServer(data).timeouts(quick).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: half\r\n\r\nhalf a mess");
            s.expect("421 4\\.4\\.2 .*");
            assertThat(server.inbox("alice@example.org")).isEmpty();
        }
    }

    @Test
    void shutdownSends421ToIdleSessions() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            server.closeListeners(Duration.ofSeconds(2));
            s.expect("421 4\\.3\\.2 Service shutting down, closing connection");
        }
    }

    @Test
    void shutdownLetsAMessageInFlightFinish() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Subject: in flight\r\n\r\n");
            Thread closer = Thread.ofVirtual().start(() -> server.closeListeners(Duration.ofSeconds(5)));
            Thread.sleep(200);
            s.raw("done\r\n.\r\n").expect("250 2\\.0\\.0 .*").expect("421 4\\.3\\.2 .*");
            closer.join();
            assertThat(server.inbox("alice@example.org")).hasSize(1);
        }
    }

    @Test
    void vrfyIsOffByDefaultAndAnswersWhenEnabled() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("VRFY alice@example.org").expect("252 2\\.5\\.0 .*");
            s.send("EXPN staff").expect("502 5\\.5\\.1 .*").send("HELP").expect("214 2\\.0\\.0 .*");
        }
        try (TestServer server = new TestServer(data).vrfy(true).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("VRFY <alice@example.org>").expect("250 2\\.1\\.5 <alice@example.org>");
            s.send("VRFY nobody@example.org").expect("550 5\\.1\\.1 .*");
        }
    }

    @Test
    void submissionRequiresAuthenticationBeforeMail() throws Exception {
        try (TestServer server = new TestServer(data).start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
            hello(s);
            s.send("MAIL FROM:<alice@example.org>").expect("530 5\\.7\\.0 Authentication required");
            s.send("AUTH PLAIN AGFsaWNlAHNlY3JldA==").expect("502 5\\.5\\.1 .*");
        }
    }

    @Test
    void relayNetworksMayRelayAndTheMessageGoesToTheQueue() throws Exception {
        try (TestServer server = new TestServer(data).relayNetworks("127.0.0.0/8").start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "someone@elsewhere.example");
            s.send("DATA").expect("354 .*").raw("Subject: out\r\n\r\nhi\r\n.\r\n").expect("250 .*");
            assertThat(server.relayed()).hasSize(1);
            assertThat(server.relayed().get(0).envelope().recipients().get(0).address().toString())
                    .isEqualTo("someone@elsewhere.example");
        }
    }

    @Test
    void internationalAddressesNeedSmtpUtf8() throws Exception {
        try (TestServer server = new TestServer(data).relayNetworks("127.0.0.0/8").start(); SmtpScript s = server.connect()) {
            hello(s);
            s.send("MAIL FROM:<j\u00f6rg@example.net>").expect("553 5\\.6\\.7 .*");
            s.send("MAIL FROM:<a@example.net>").expect("250 .*");
            s.send("RCPT TO:<\u00fcser@b\u00fccher.example>").expect("553 5\\.6\\.7 .*");
            s.send("RSET").expect("250 .*");
            s.send("MAIL FROM:<j\u00f6rg@example.net> SMTPUTF8").expect("250 .*");
            s.send("RCPT TO:<\u00fcser@b\u00fccher.example>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("Subject: utf8\r\n\r\nhi\r\n.\r\n").expect("250 .*");
            assertThat(new String(server.relayed().get(0).content(), StandardCharsets.UTF_8))
                    .contains(" with UTF8SMTP id ");
        }
    }

    @Test
    void proxyProtocolV1AndV2GiveTheRealClientAddress() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).start()) {
            try (SmtpScript s = server.connect()) {
                s.raw("PROXY TCP4 192.0.2.7 127.0.0.1 40000 25\r\n").expect("220 .*");
                s.send("EHLO proxied.example").expect("250 .*");
                transaction(s, "alice@example.org");
                s.send("DATA").expect("354 .*").raw("Subject: p\r\n\r\nx\r\n.\r\n").expect("250 .*");
            }
            assertThat(server.onlyMessage("alice@example.org")).contains("from proxied.example ([192.0.2.7])");
            try (SmtpScript s = server.connect()) {
                byte[] header = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,
                        0x21, 0x11, 0x00, 0x0C, (byte) 198, 51, 100, 9, 127, 0, 0, 1, 0x1F, 0x40, 0x00, 0x19};
                s.raw(header).expect("220 .*").send("EHLO v2.example").expect("250 .*");
                transaction(s, "bob@example.org");
                s.send("DATA").expect("354 .*").raw("Subject: p\r\n\r\nx\r\n.\r\n").expect("250 .*");
            }
            assertThat(server.onlyMessage("bob@example.org")).contains("from v2.example ([198.51.100.9])");
            try (SmtpScript s = server.connect()) {
                s.send("EHLO no-header.example");
                assertThat(s.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void mailLoopsAreRefused() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            hello(s);
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Received: from x by y; date\r\n".repeat(51) + "\r\nbody\r\n.\r\n")
                    .expect("554 5\\.4\\.6 Too many hops: mail loop\\?");
            transaction(s, "alice@example.org");
            s.send("DATA").expect("354 .*").raw("Received: from x by y; date\r\n".repeat(50) + "\r\nbody\r\n.\r\n")
                    .expect("250 .*");
        }
    }

    @Test
    void esmtpParametersAndAuthNeedEhlo() throws Exception {
        try (TestServer server = new TestServer(data).start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("HELO old.example").expect("250 .*");
            s.send("MAIL FROM:<a@example.net>").expect("250 .*");
            s.send("RCPT TO:<alice@example.org> NOTIFY=NEVER").expect("555 5\\.5\\.4 .*");
            s.send("RCPT TO:<alice@example.org>").expect("250 .*");
        }
    }

    @Test
    void aProxyListenerWaitsOnlyBrieflyForTheHeader() throws Exception {
        Timeouts quick = new Timeouts(Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMinutes(1));
        try (TestServer server = new TestServer(data).proxyProtocol(true).timeouts(quick).start();
             SmtpScript s = server.connect()) {
            long start = System.nanoTime();
            assertThat(s.closedByServer()).isTrue(); // no header, no greeting: closed
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void proxyHeaderFromAnUntrustedPeerIsRefused() throws Exception {
        try (TestServer server = new TestServer(data).proxyProtocol(true).proxyTrusted("192.0.2.0/24")
                .relayNetworks("127.0.0.0/8").start(); SmtpScript s = server.connect()) {
            s.raw("PROXY TCP4 127.0.0.1 127.0.0.1 4444 25\r\n");
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void manyConcurrentClientsAllDelivered() throws Exception {
        try (TestServer server = new TestServer(data).start()) {
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int c = 0; c < 20; c++) {
                threads.add(Thread.ofVirtual().start(() -> {
                    try (SmtpScript s = server.connect()) {
                        hello(s);
                        for (int m = 0; m < 5; m++) {
                            transaction(s, "alice@example.org");
                            s.send("DATA").expect("354 .*").raw("Subject: c\r\n\r\nx\r\n.\r\n").expect("250 .*");
                        }
                        s.send("QUIT").expect("221 .*");
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failures).isEmpty();
            assertThat(server.inbox("alice@example.org")).hasSize(100);
        }
    }
}
