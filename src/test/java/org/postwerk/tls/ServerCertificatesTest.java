package org.postwerk.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postwerk.testkit.TestCertificates;

/**
 * Certificates chosen by the name the client asks for (SNI), over real handshakes on loopback between
 * {@link ServerTls} and JDK client sockets, TLS 1.3 and 1.2.
 */
class ServerCertificatesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final TestCertificates CA = TestCertificates.ca("Test CA");
    private static final TestCertificates MAIL = CA.issueFor("mail.example.org", "mta-sts.example.org");
    private static final TestCertificates SHOP = CA.issueFor("*.shop.example", "shop.example");
    private static final TestCertificates OTHER = TestCertificates.rsa("imap.other.example");

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

    private static Supplier<CertifiedKey> pair(TestCertificates c) {
        CertifiedKey k = CertifiedKey.of(List.of(c.certificate(), CA.certificate()), c.keys().getPrivate());
        return () -> k;
    }

    private ServerCertificates certificates() {
        return new ServerCertificates(List.of(pair(SHOP), pair(OTHER)), List.of(pair(MAIL)));
    }

    /** The leaf the server presents to a client that asks for {@code name} (null: no SNI). */
    private X509Certificate presented(ServerCertificates certificates, String name, String protocol) throws Exception {
        ServerTls tls = new ServerTls(certificates.context(), TIMEOUT, List.of(protocol));
        CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
            try (Socket plain = listener.accept(); SSLSocket s = tls.wrapServer(plain)) {
                s.getOutputStream().write('k');
                s.getOutputStream().flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
                SSLSocket s = (SSLSocket) ClientTls.opportunistic().context().getSocketFactory().createSocket(plain,
                        "127.0.0.1", plain.getPort(), true)) {
            s.setSoTimeout((int) TIMEOUT.toMillis());
            SSLParameters p = s.getSSLParameters();
            p.setProtocols(new String[] {protocol});
            p.setServerNames(name == null ? List.of() : List.of(new SNIHostName(name)));
            s.setSSLParameters(p);
            s.startHandshake();
            assertThat(s.getInputStream().read()).isEqualTo('k');
            served.get(5, TimeUnit.SECONDS);
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @ParameterizedTest(name = "{0} over {1} gets {2}")
    @CsvSource(nullValues = "none", value = {
            "mail.example.org, TLSv1.3, mail.example.org",
            "MTA-STS.example.org, TLSv1.3, mail.example.org",
            "www.shop.example, TLSv1.3, *.shop.example",
            "shop.example, TLSv1.2, *.shop.example",
            "imap.other.example, TLSv1.3, imap.other.example",
            "imap.other.example, TLSv1.2, imap.other.example",
            // A wildcard stands for one label only (RFC 6125 §6.4.3): the default then.
            "a.b.shop.example, TLSv1.3, mail.example.org",
            "unknown.example, TLSv1.3, mail.example.org",
            "none, TLSv1.3, mail.example.org",
            "none, TLSv1.2, mail.example.org"})
    void theNameTheClientAsksForChoosesTheCertificate(String name, String protocol, String expected) throws Exception {
        X509Certificate leaf = presented(certificates(), name, protocol);
        assertThat(CertifiedKey.of(List.of(leaf), MAIL.keys().getPrivate()).names()).first().isEqualTo(expected);
    }

    @Test
    void aWatchedCertificateReplacesTheBootstrapOneOnceItAppears() throws Exception {
        Path issued = dir.resolve("acme/certificate.pem");
        PemCertificate acme = PemCertificate.watch(issued, issued, Duration.ZERO);
        assertThat(acme.get()).isNull();
        ServerCertificates certificates = new ServerCertificates(List.of(), List.of(acme, pair(OTHER)));
        assertThat(presented(certificates, "mail.example.org", "TLSv1.3").getSubjectX500Principal().getName())
                .isEqualTo("CN=imap.other.example");

        Files.createDirectories(issued.getParent());
        Files.write(issued, pair(MAIL).get().pem());
        assertThat(presented(certificates, null, "TLSv1.3")).isEqualTo(MAIL.certificate());
        assertThat(presented(certificates, "mail.example.org", "TLSv1.3")).isEqualTo(MAIL.certificate());
    }

    @Test
    void theFirstCertificateNamingTheHostWinsWhateverKeyTypeIsAskedFirst() throws Exception {
        // An RSA certificate (as ACME issues) before the EC self-signed one that names the same host: the JDK asks
        // for an EC key first, and must not get the self-signed one for it.
        TestCertificates rsa = TestCertificates.rsa("mail.example.org");
        ServerCertificates certificates = new ServerCertificates(List.of(), List.of(pair(rsa), pair(MAIL)));
        assertThat(presented(certificates, "mail.example.org", "TLSv1.3")).isEqualTo(rsa.certificate());
        assertThat(presented(certificates, "mail.example.org", "TLSv1.2")).isEqualTo(rsa.certificate());
        assertThat(presented(certificates, null, "TLSv1.3")).isEqualTo(rsa.certificate());
    }

    @Test
    void theCombinedPemFileReadsBackAsTheSamePair() throws Exception {
        Path file = dir.resolve("both.pem");
        CertifiedKey written = pair(SHOP).get();
        Files.write(file, written.pem());
        CertifiedKey read = TlsContexts.readPair(file, file);
        assertThat(read.chain()).isEqualTo(written.chain());
        assertThat(read.key().getEncoded()).isEqualTo(written.key().getEncoded());
        assertThat(read.names()).containsExactly("*.shop.example", "shop.example");
    }
}
