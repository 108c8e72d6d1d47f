package org.postwerk.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postwerk.acme.Http01Answers;
import org.postwerk.config.Role;
import org.postwerk.config.WebConfig;
import org.postwerk.tls.CertifiedKey;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerCertificates;
import org.postwerk.tls.TlsContexts;
import org.postwerk.testkit.TestCertificates;

/**
 * (In this package, not {@code acme}: the JDK's HTTP server reads its limits once, when the first one of the JVM
 * starts, and the ops tests that run before the web ones expect theirs.)
 * The answers a CA fetches, over real sockets: HTTP-01 on the plain {@code http} listener (RFC 8555 §8.3) and the
 * TLS-ALPN-01 certificate on the HTTPS {@code web} listener, only to an {@code acme-tls/1} client (RFC 8737 §3).
 */
class AcmeChallengeServingTest {
    private static final TestCertificates SITE = TestCertificates.rsa("mail.example.org");

    private final Http01Answers http01 = new Http01Answers();
    private final ServerCertificates certificates = ServerCertificates.single(
            CertifiedKey.of(List.of(SITE.certificate()), SITE.keys().getPrivate()));
    private WebServer https;
    private WebServer http;

    @BeforeEach
    void start() throws IOException {
        WebConfig config = new WebConfig(4096, Duration.ofSeconds(10), 50);
        InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
        MailEndpoints endpoints = new MailEndpoints("mail.example.org", List.of(), List.of("example.org"),
                java.util.Optional.empty());
        WebServer.Content content = new WebServer.Content(endpoints, null, http01);
        https = new WebServer(Role.WEB, any, config, content, certificates.httpsContext(),
                certificates.context().getDefaultSSLParameters());
        http = new WebServer(Role.HTTP, any, config, content, null, null);
        https.start();
        http.start();
    }

    @AfterEach
    void stop() {
        https.close();
        http.close();
    }

    /** One HTTP/1.0 exchange on a plain socket: the status line and the body. */
    private String get(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", http.address().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: mail.example.org\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return reply.substring(0, reply.indexOf("\r\n")) + "|" + reply.substring(reply.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void http01AnswersArePresentOnlyWhilePending() throws IOException {
        assertThat(get("/.well-known/acme-challenge/tok-1")).startsWith("HTTP/1.1 404");
        http01.put("tok-1", "tok-1.thumbprint");
        assertThat(get("/.well-known/acme-challenge/tok-1")).isEqualTo("HTTP/1.1 200 OK|tok-1.thumbprint");
        assertThat(get("/.well-known/acme-challenge/tok-2")).startsWith("HTTP/1.1 404");
        http01.remove("tok-1");
        assertThat(get("/.well-known/acme-challenge/tok-1")).startsWith("HTTP/1.1 404");
    }

    /** A handshake with {@code name} and the ALPN protocols; the leaf and the negotiated protocol. */
    private record Handshake(X509Certificate leaf, String protocol) {}

    private Handshake handshake(String name, String... alpn) throws IOException {
        try (SSLSocket s = (SSLSocket) ClientTls.opportunistic().context().getSocketFactory()
                .createSocket("127.0.0.1", https.address().getPort())) {
            s.setSoTimeout(5000);
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(name)));
            p.setApplicationProtocols(alpn);
            s.setSSLParameters(p);
            s.startHandshake();
            return new Handshake((X509Certificate) s.getSession().getPeerCertificates()[0],
                    s.getApplicationProtocol());
        }
    }

    @Test
    void tlsAlpn01CertificateGoesOnlyToAcmeTlsClients() throws Exception {
        byte[] validation = new byte[32];
        validation[0] = 42;
        CertifiedKey answer = TlsContexts.acmeChallenge("mail.example.org", validation);
        X509Certificate challenge = answer.leaf();
        certificates.putChallenge("mail.example.org", answer);

        Handshake acme = handshake("mail.example.org", ServerCertificates.ACME_TLS_1);
        assertThat(acme.protocol()).isEqualTo("acme-tls/1");
        assertThat(acme.leaf()).isEqualTo(challenge);
        // id-pe-acmeIdentifier, critical, OCTET STRING (32 octets) inside the extension's own OCTET STRING.
        assertThat(challenge.getCriticalExtensionOIDs()).contains("1.3.6.1.5.5.7.1.31");
        byte[] value = challenge.getExtensionValue("1.3.6.1.5.5.7.1.31");
        assertThat(java.util.Arrays.copyOfRange(value, value.length - 32, value.length)).isEqualTo(validation);
        assertThat(java.util.Arrays.copyOfRange(value, 0, 4)).containsExactly(0x04, 34, 0x04, 32);
        assertThat(challenge.getSubjectAlternativeNames()).containsExactly(List.of(2, "mail.example.org"));

        Handshake browser = handshake("mail.example.org", "h2", "http/1.1");
        assertThat(browser.protocol()).isEmpty(); // no ALPN, as without a challenge
        assertThat(browser.leaf()).isEqualTo(SITE.certificate());

        // Another name has no challenge: RFC 8737 §3 wants no certificate rather than the wrong one.
        assertThatThrownBy(() -> handshake("other.example.org", ServerCertificates.ACME_TLS_1))
                .isInstanceOf(IOException.class);

        certificates.removeChallenge("mail.example.org");
        Handshake after = handshake("mail.example.org", ServerCertificates.ACME_TLS_1);
        assertThat(after.protocol()).isEmpty();
        assertThat(after.leaf()).isEqualTo(SITE.certificate());
    }
}
