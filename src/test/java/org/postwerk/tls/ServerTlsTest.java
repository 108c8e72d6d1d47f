package org.postwerk.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.TestCertificates;
import org.postwerk.testkit.TestCertificates.KeyFormat;

/** Real handshakes on loopback between {@link ServerTls} and JDK client sockets. */
class ServerTlsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private ServerSocket listener;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    /** Accepts one connection, wraps it, and answers with the negotiated session (or the failure). */
    private CompletableFuture<TlsInfo> serveOnce(SSLContext context) {
        return serveOnce(new ServerTls(context, TIMEOUT));
    }

    private CompletableFuture<TlsInfo> serveOnce(ServerTls tls) {
        CompletableFuture<TlsInfo> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket plain = listener.accept(); SSLSocket s = tls.wrapServer(plain)) {
                TlsInfo info = TlsInfo.of(s);
                s.getOutputStream().write('k');
                s.getOutputStream().flush();
                result.complete(info);
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private SSLSocket connect(String[] protocols, String[] suites) throws IOException {
        ClientTls client = ClientTls.opportunistic();
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        SSLSocket s = (SSLSocket) client.context().getSocketFactory().createSocket(plain, "localhost",
                plain.getPort(), true);
        s.setSoTimeout((int) TIMEOUT.toMillis());
        s.setEnabledProtocols(protocols);
        if (suites != null) {
            s.setEnabledCipherSuites(suites);
        }
        s.startHandshake();
        return s;
    }

    private SSLContext selfSigned() throws IOException {
        return TlsContexts.selfSigned(dir.resolve("tls"), "mx.example.org");
    }

    @Test
    void tls13IsAccepted() throws Exception {
        CompletableFuture<TlsInfo> server = serveOnce(selfSigned());
        try (SSLSocket s = connect(new String[] {"TLSv1.3"}, null)) {
            assertThat(s.getInputStream().read()).isEqualTo('k');
        }
        TlsInfo info = server.get(5, TimeUnit.SECONDS);
        assertThat(info.protocol()).isEqualTo("TLSv1.3");
        assertThat(info.cipherSuite()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(info.clientSubject()).isEmpty();
        assertThat(info.receivedClause()).isEqualTo("using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256");
    }

    @Test
    void tls12IsAcceptedWithServerPreferredAeadSuite() throws Exception {
        CompletableFuture<TlsInfo> server = serveOnce(selfSigned());
        // The client prefers a weaker suite first; the server's order must win.
        String[] suites = {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
        try (SSLSocket s = connect(new String[] {"TLSv1.2"}, suites)) {
            assertThat(s.getInputStream().read()).isEqualTo('k');
        }
        TlsInfo info = server.get(5, TimeUnit.SECONDS);
        assertThat(info.protocol()).isEqualTo("TLSv1.2");
        assertThat(info.cipherSuite()).isEqualTo("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    @Test
    void cbcSuiteIsRefused() throws Exception {
        CompletableFuture<TlsInfo> server = serveOnce(selfSigned());
        String[] cbc = {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"};
        assertThatThrownBy(() -> connect(new String[] {"TLSv1.2"}, cbc)).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> server.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(SSLException.class);
    }

    @Test
    void tls11IsRefused() throws Exception {
        CompletableFuture<TlsInfo> server = serveOnce(selfSigned());
        assertThatThrownBy(() -> connect(new String[] {"TLSv1.1"}, null)).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> server.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }

    @Test
    void serverSocketsEnableOnlyTheModernProtocolsAndAeadSuites() throws Exception {
        // The JDK client also disables TLS 1.1 by itself, so check the server side directly too.
        SSLContext context = selfSigned();
        var params = TlsPolicy.parameters(context);
        assertThat(params.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(params.getUseCipherSuitesOrder()).isTrue();
        assertThat(params.getCipherSuites()).isNotEmpty()
                .allSatisfy(s -> assertThat(s).matches("TLS_(AES|CHACHA20)_.*|TLS_ECDHE_.*_(GCM_SHA\\d+|POLY1305_SHA256)"));
    }

    @Test
    void aTls13OnlyServerRefusesTls12AndOldProtocolsAreNotConfigurable() throws Exception {
        SSLContext context = selfSigned();
        CompletableFuture<TlsInfo> result = serveOnce(new ServerTls(context, TIMEOUT, List.of("TLSv1.3")));
        assertThatThrownBy(() -> connect(new String[] {"TLSv1.2"}, null)).isInstanceOf(SSLException.class);
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> new ServerTls(context, TIMEOUT, List.of("TLSv1.3", "TLSv1.1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void silentClientHitsTheHandshakeTimeout() throws Exception {
        ServerTls tls = new ServerTls(selfSigned(), Duration.ofMillis(200));
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket plain = listener.accept()) {
                tls.wrapServer(plain).close();
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            }
        });
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void handshakesBeyondTheLimitWaitForASlot() throws Exception {
        // One slot: a silent client holds it until the handshake timeout; a real client's handshake waits for it.
        Duration timeout = Duration.ofMillis(800);
        ServerTls tls = new ServerTls(selfSigned(), timeout, TlsPolicy.PROTOCOLS, 1);
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket plain = listener.accept()) {
                tls.wrapServer(plain).close();
                first.complete(null);
            } catch (IOException e) {
                first.complete(e);
            }
        });
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            Thread.sleep(100); // the silent client's handshake holds the slot now
            long start = System.nanoTime();
            CompletableFuture<TlsInfo> second = serveOnce(tls);
            try (SSLSocket s = connect(new String[] {"TLSv1.3"}, null)) {
                assertThat(second.get(5, TimeUnit.SECONDS).protocol()).isEqualTo("TLSv1.3");
            }
            assertThat(System.nanoTime() - start).isGreaterThan(Duration.ofMillis(500).toNanos());
            assertThat(first.get(5, TimeUnit.SECONDS)).isInstanceOf(java.net.SocketTimeoutException.class);
        }
    }

    @Test
    void aKeyThatDoesNotFitTheCertificateIsRefusedAtLoad() throws Exception {
        TestCertificates one = TestCertificates.ec("localhost");
        TestCertificates other = TestCertificates.ec("localhost");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        one.writeCertificate(cert);
        other.writeKey(key, KeyFormat.PKCS8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsContexts.fromPem(cert, key))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("does not fit");
        TestCertificates.rsa("localhost").writeKey(key, KeyFormat.PKCS8);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TlsContexts.fromPem(cert, key))
                .isInstanceOf(java.io.IOException.class);
    }

    @Test
    void pemRsaAndEcKeysInEveryFormatServeAVerifiedHandshake() throws Exception {
        for (TestCertificates material : List.of(TestCertificates.rsa("localhost"), TestCertificates.ec("localhost"))) {
            for (KeyFormat format : KeyFormat.values()) {
                Path cert = dir.resolve("cert.pem");
                Path key = dir.resolve("key.pem");
                material.writeCertificate(cert);
                material.writeKey(key, format);
                String header = Files.readAllLines(key).getFirst();
                assertThat(header).isEqualTo(expectedHeader(material, format));

                CompletableFuture<TlsInfo> server = serveOnce(TlsContexts.fromPem(cert, key));
                ClientTls client = ClientTls.trusting(List.of(material.certificate()));
                try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                        SSLSocket s = client.wrap(plain, "localhost", TIMEOUT)) {
                    assertThat(s.getInputStream().read()).isEqualTo('k');
                    assertThat(s.getSession().getPeerCertificates()[0]).isEqualTo(material.certificate());
                }
                assertThat(server.get(5, TimeUnit.SECONDS).protocol()).isEqualTo("TLSv1.3");
            }
        }
    }

    private static String expectedHeader(TestCertificates material, KeyFormat format) {
        if (format == KeyFormat.PKCS8) {
            return "-----BEGIN PRIVATE KEY-----";
        }
        return material.keys().getPrivate().getAlgorithm().equals("RSA")
                ? "-----BEGIN RSA PRIVATE KEY-----" : "-----BEGIN EC PRIVATE KEY-----";
    }

    @Test
    void hostnameVerificationRejectsACertificateForAnotherName() throws Exception {
        TestCertificates material = TestCertificates.ec("other.example");
        material.writeCertificate(dir.resolve("c.pem"));
        material.writeKey(dir.resolve("k.pem"), KeyFormat.PKCS8);
        serveOnce(TlsContexts.fromPem(dir.resolve("c.pem"), dir.resolve("k.pem")));
        ClientTls client = ClientTls.trusting(List.of(material.certificate()));
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            assertThatThrownBy(() -> client.wrap(plain, "localhost", TIMEOUT)).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void encryptedOrMissingKeysAreRefusedWithTheFileName() throws IOException {
        Path cert = dir.resolve("cert.pem");
        TestCertificates.ec("localhost").writeCertificate(cert);
        assertThatThrownBy(() -> TlsContexts.fromPem(cert, cert)).isInstanceOf(IOException.class)
                .hasMessageContaining("cert.pem: no private key");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> TlsContexts.fromPem(empty, cert)).isInstanceOf(IOException.class)
                .hasMessageContaining("no CERTIFICATE");
    }
}
