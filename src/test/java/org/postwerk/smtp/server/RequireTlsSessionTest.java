package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Role;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.testkit.PlainOnly;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;

/**
 * REQUIRETLS as a server (RFC 8689 §2, §3, §4.1) over real STARTTLS on loopback: offered and accepted only
 * under TLS, and what the sender asked (the MAIL parameter, or the {@code TLS-Required: No} field) is on the
 * envelope the queue receives. The refusal without TLS is also in {@code transcripts/requiretls-needs-tls.smtp}.
 */
class RequireTlsSessionTest {
    @TempDir
    Path data;
    private ServerTls serverTls;

    @BeforeEach
    void certificate() throws IOException {
        serverTls = new ServerTls(TlsContexts.selfSigned(data.resolve("tls"), "mx.example.org"), Duration.ofSeconds(5));
    }

    private TestServer server() {
        return new TestServer(data).tls(serverTls::wrapServer).relayNetworks("127.0.0.0/8")
                .authentication(new PlainOnly("alice@example.org", "s3cret"));
    }

    private static void startTls(SmtpScript s) throws IOException {
        s.send("STARTTLS").expect("220 .*");
        s.attach(ClientTls.opportunistic().wrap(s.socket(), "mx.example.org", Duration.ofSeconds(5)));
    }

    private static void send(SmtpScript s, String mail, String headers) throws IOException {
        s.send(mail).expect("250 .*").send("RCPT TO:<friend@elsewhere.example>").expect("250 .*");
        s.send("DATA").expect("354 .*").raw(headers + "Subject: t\r\n\r\nsecret\r\n.\r\n").expect("250 .*");
    }

    @Test
    void offeredAndAcceptedOnlyAfterStartTls() throws Exception {
        try (TestServer server = server().start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example.net");
            assertThat(s.reply()).anyMatch(l -> l.endsWith("STARTTLS")).noneMatch(l -> l.contains("REQUIRETLS"));
            s.send("MAIL FROM:<a@example.net> REQUIRETLS").expect("530 5\\.7\\.10 REQUIRETLS needs a TLS session");
            startTls(s);
            s.send("EHLO client.example.net");
            assertThat(s.reply()).anyMatch(l -> l.endsWith("-REQUIRETLS") || l.endsWith(" REQUIRETLS"));
            send(s, "MAIL FROM:<a@example.net> REQUIRETLS", "");
            // RFC 8689 §4.1: with the parameter, the header field is ignored.
            send(s, "MAIL FROM:<a@example.net> REQUIRETLS", "TLS-Required: No\r\n");
            send(s, "MAIL FROM:<a@example.net>", "");
            assertThat(server.relayed()).extracting(c -> c.envelope().tls()).containsExactly(
                    TlsRequirement.REQUIRED, TlsRequirement.REQUIRED, TlsRequirement.POLICY);
        }
    }

    @Test
    void tlsRequiredNoHeaderIsKeptOnTheEnvelopeWithOrWithoutTls() throws Exception {
        try (TestServer server = server().start(); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example.net").expect("250 .*");
            send(s, "MAIL FROM:<a@example.net>", "tls-required:   NO\r\n");
            send(s, "MAIL FROM:<a@example.net>", "TLS-Required: yes\r\n"); // not a value RFC 8689 §3 defines
            assertThat(server.relayed()).extracting(c -> c.envelope().tls())
                    .containsExactly(TlsRequirement.NOT_REQUIRED, TlsRequirement.POLICY);
            assertThat(new String(server.relayed().getFirst().content())).contains("tls-required:   NO\r\n");
        }
    }

    @Test
    void submissionCanAskForRequireTls() throws Exception {
        try (TestServer server = server().start(Role.SUBMISSION);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSION))) {
            s.expect("220 .*").send("EHLO client.example.net").expect("250 .*");
            startTls(s);
            s.send("EHLO client.example.net").expect("250 .*");
            String plain = java.util.Base64.getEncoder().encodeToString("\0alice@example.org\0s3cret".getBytes());
            s.send("AUTH PLAIN " + plain).expect("235 .*");
            send(s, "MAIL FROM:<alice@example.org> REQUIRETLS", "");
            assertThat(server.relayed().getFirst().envelope().tls()).isEqualTo(TlsRequirement.REQUIRED);
        }
    }
}
