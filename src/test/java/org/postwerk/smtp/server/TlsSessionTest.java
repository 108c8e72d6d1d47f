package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.config.Role;
import org.postwerk.testkit.PlainOnly;
import org.postwerk.testkit.Renegotiation;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;

/** STARTTLS (RFC 3207), implicit TLS (RFC 8314) and AUTH (RFC 4954) over real TLS on loopback. */
class TlsSessionTest {
    @TempDir
    Path data;
    private ServerTls serverTls;

    @BeforeEach
    void certificate() throws IOException {
        serverTls = new ServerTls(TlsContexts.selfSigned(data.resolve("tls"), "mx.example.org"), Duration.ofSeconds(5));
    }

    private TestServer server() {
        return new TestServer(data).tls(serverTls::wrapServer).authentication(new PlainOnly("alice@example.org", "s3cret"));
    }

    private static SSLSocket clientTls(Socket plain) throws IOException {
        return ClientTls.opportunistic().wrap(plain, "mx.example.org", Duration.ofSeconds(5));
    }

    private static String plain(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes());
    }

    @Test
    void startTlsThenAuthIsOfferedAndRequiredForSubmission() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
            s.expect("220 .*").send("EHLO client.example.net");
            assertThat(s.reply()).anyMatch(l -> l.endsWith("STARTTLS")).noneMatch(l -> l.contains("AUTH"));
            s.send("AUTH PLAIN " + plain("alice@example.org", "s3cret")).expect("538 5\\.7\\.11 .*");
            s.send("STARTTLS").expect("220 2\\.0\\.0 Ready to start TLS");
            s.attach(clientTls(s.socket()));
            s.send("MAIL FROM:<alice@example.org>").expect("503 5\\.5\\.1 Send EHLO/HELO first");
            s.send("EHLO client.example.net");
            assertThat(s.reply()).anyMatch(l -> l.endsWith("AUTH PLAIN")).noneMatch(l -> l.contains("STARTTLS"));
            s.send("MAIL FROM:<alice@example.org>").expect("530 5\\.7\\.0 .*");
            s.send("AUTH PLAIN " + plain("alice@example.org", "wrong")).expect("535 5\\.7\\.8 .*");
            s.send("AUTH PLAIN").expect("334 ").send(plain("alice@example.org", "s3cret")).expect("235 2\\.7\\.0 .*");
            s.send("AUTH PLAIN " + plain("alice@example.org", "s3cret")).expect("503 5\\.5\\.1 .*");
            s.send("MAIL FROM:<bob@example.org>").expect("553 5\\.7\\.1 Sender address not owned by the authenticated user");
            s.send("MAIL FROM:<alice@example.org>").expect("250 .*");
            s.send("RCPT TO:<friend@elsewhere.example>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("Subject: sent\r\n\r\nhello\r\n.\r\n").expect("250 .*");
            String stored = new String(server.relayed().get(0).content());
            assertThat(stored).contains("with ESMTPSA id").containsPattern("\\(using TLSv1\\.[23] with cipher \\w+\\)");
            assertThat(stored).contains("\r\nMessage-ID: <").contains("\r\nDate: ");
            assertThat(server.relayed().get(0).envelope().authUser()).isEqualTo("alice@example.org");
        }
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscarded() throws Exception {
        try (TestServer server = server().relayNetworks().start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example.net").expect("250 .*");
            // The injection: plaintext after STARTTLS in the same packet must not run inside TLS.
            s.raw("STARTTLS\r\nMAIL FROM:<injected@example.net>\r\n").expect("220 .*");
            s.attach(clientTls(s.socket()));
            s.send("EHLO client.example.net").expect("250 .*");
            s.send("RCPT TO:<alice@example.org>").expect("503 5\\.5\\.1 Need MAIL before RCPT");
            s.send("STARTTLS").expect("503 5\\.5\\.1 TLS already active");
        }
    }

    @Test
    void implicitTlsOnSubmissions() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSIONS)) {
            try (SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
                s.attach(clientTls(s.socket()));
                s.expect("220 mx\\.example\\.org ESMTP Postwerk").send("EHLO c.example");
                assertThat(s.reply()).anyMatch(l -> l.endsWith("AUTH PLAIN")).noneMatch(l -> l.contains("STARTTLS"));
            }
        }
    }

    @Test
    void proxyHeaderThenImplicitTls() throws Exception {
        try (TestServer server = server().proxyProtocol(true).start(Role.SUBMISSIONS);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
            // The header and the ClientHello follow each other at once, as a proxy sends them.
            s.raw("PROXY TCP4 198.51.100.4 127.0.0.1 5555 465\r\n");
            s.attach(clientTls(s.socket()));
            s.expect("220 .*").send("EHLO c").expect("250 .*");
        }
    }

    @Test
    void clientRenegotiationIsRefusedAfterStartTls() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
            s.expect("220 .*").send("EHLO c").expect("250 .*").send("STARTTLS").expect("220 .*");
            SSLSocket tls = Renegotiation.tls12(s.socket());
            s.attach(tls);
            s.send("EHLO c").expect("250 .*");
            Renegotiation.assertEndsTheConnection(s, tls);
        }
    }

    @Test
    void clientRenegotiationIsRefusedOnImplicitTls() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSIONS);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
            SSLSocket tls = Renegotiation.tls12(s.socket());
            s.attach(tls);
            s.expect("220 .*").send("EHLO c").expect("250 .*");
            Renegotiation.assertEndsTheConnection(s, tls);
        }
    }

    @Test
    void sessionDeadlineHoldsOverATrickledTlsHandshake() throws Exception {
        assertTrickledHandshakeIsCutOff(new org.postwerk.config.Timeouts(Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(800)));
    }

    @Test
    void aTrickledHandshakeIsCutOffByTheCommandTimeoutAsAWhole() throws Exception {
        // Each byte comes well within the per-read timeout; only the bound on the whole handshake can stop it.
        assertTrickledHandshakeIsCutOff(new org.postwerk.config.Timeouts(Duration.ofMillis(700),
                Duration.ofSeconds(5), Duration.ofMinutes(5)));
    }

    /** A ClientHello record header, one byte every 200 ms (each byte restarts a read timeout): closed within 3 s. */
    private void assertTrickledHandshakeIsCutOff(org.postwerk.config.Timeouts quick) throws Exception {
        try (TestServer server = server().timeouts(quick).start(Role.SUBMISSIONS);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
            long start = System.nanoTime();
            boolean closed = false;
            byte[] drip = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0};
            for (byte b : drip) {
                try {
                    s.raw(new byte[] {b});
                    Thread.sleep(200);
                } catch (IOException e) {
                    closed = true;
                    break;
                }
            }
            closed = closed || s.closedByServer();
            assertThat(closed).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Test
    void authFailuresAreLimited() throws Exception {
        Limits two = new Limits(1 << 20, 100, 512, 1000, 100, 20, 30, 2, Duration.ofMillis(50));
        try (TestServer server = server().limits(two).start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
            s.expect("220 .*").send("EHLO c").expect("250 .*").send("STARTTLS").expect("220 .*");
            s.attach(clientTls(s.socket()));
            s.send("EHLO c").expect("250 .*");
            s.send("AUTH PLAIN " + plain("alice@example.org", "x")).expect("535 5\\.7\\.8 .*");
            s.send("AUTH PLAIN " + plain("alice@example.org", "y")).expect("421 4\\.7\\.0 .*");
            assertThat(s.closedByServer()).isTrue();
        }
    }

    @Test
    void failedLoginsAreCountedPerClientAcrossSessions() throws Exception {
        Limits one = new Limits(1 << 20, 100, 512, 1000, 100, 20, 30, 1, Duration.ZERO); // 4 per client in 15 min
        try (TestServer server = server().limits(one).start(Role.SUBMISSIONS)) {
            for (int i = 0; i < 4; i++) { // reconnecting after each failure must not reset the count
                try (SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
                    s.attach(clientTls(s.socket()));
                    s.expect("220 .*").send("EHLO c").expect("250 .*");
                    s.send("AUTH PLAIN " + plain("alice@example.org", "guess" + i)).expect("421 4\\.7\\.0 .*");
                }
            }
            try (SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
                s.attach(clientTls(s.socket()));
                s.expect("220 .*").send("EHLO c").expect("250 .*");
                // Even the right password waits for the window to pass: no more guesses for now.
                s.send("AUTH PLAIN " + plain("alice@example.org", "s3cret")).expect("454 4\\.7\\.0 .*");
            }
        }
    }

    @Test
    void authCancelAndBadBase64() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSIONS);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
            s.attach(clientTls(s.socket()));
            s.expect("220 .*").send("EHLO c").expect("250 .*");
            s.send("AUTH PLAIN").expect("334 ").send("*").expect("501 5\\.0\\.0 Authentication cancelled");
            s.send("AUTH PLAIN !!!").expect("501 5\\.5\\.2 .*");
            s.send("AUTH CRAM-MD5").expect("504 5\\.5\\.4 .*");
        }
    }
}
