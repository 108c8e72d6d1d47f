package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;
import org.postwerk.service.ReloadOutcome;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestCertificates;

/**
 * A running server takes a new configuration without dropping a session: listeners open and close, limits
 * change for new sessions, a configuration that fails its checks is refused whole, and a certificate replaced
 * on disk is served to the next TLS client without any signal.
 */
class ReloadTest {
    @TempDir
    Path dir;

    private Postwerk server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Config config(String more, int... smtpPorts) {
        StringBuilder toml = new StringBuilder("""
                hostname = "mx.example.test"
                data_dir = "data"
                local_domains = ["example.test"]
                [dns]
                servers = ["127.0.0.1:9"]
                timeout = "1s"
                """);
        for (int port : smtpPorts) {
            toml.append("[[listener]]\nrole = \"smtp\"\naddress = \"127.0.0.1\"\nport = ").append(port).append('\n');
        }
        return ConfigLoader.parse(toml + more, dir, "postwerk.toml");
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    private static SmtpScript greeted(int port) throws IOException {
        return SmtpScript.connect(local(port)).expect("220 .*");
    }

    @Test
    void listenersOpenAndCloseAndLimitsChangeWhileASessionGoesOn() throws Exception {
        int first = freePort();
        int second = freePort();
        server = Postwerk.start(config("", first));
        TomlServer.alice(dir);
        try (SmtpScript old = greeted(first)) {
            old.send("EHLO client.example").expect("250 .*");
            old.send("MAIL FROM:<bob@example.net>").expect("250 .*");

            ReloadOutcome outcome = server.reload(config("[limits]\nmessage_size = 1024\n", second));

            assertThat(outcome).isInstanceOf(ReloadOutcome.Applied.class);
            assertThat(outcome.summary()).contains("closed smtp listener 127.0.0.1:" + first,
                    "opened smtp listener 127.0.0.1:" + second);
            assertThatThrownBy(() -> new Socket("127.0.0.1", first).close()).isInstanceOf(IOException.class);
            try (SmtpScript fresh = greeted(second)) {
                assertThat(fresh.send("EHLO client.example").reply()).contains("250-SIZE 1024");
            }
            // The session that began before goes on to the end of its message, on its old settings.
            old.send("RCPT TO:<alice@example.test>").expect("250 .*");
            old.send("DATA").expect("354 .*");
            old.raw("Subject: across a reload\r\n\r\n" + ("x".repeat(98) + "\r\n").repeat(20) + ".\r\n").expect("250 .*");
            old.send("QUIT").expect("221 .*");
        }
        assertThat(server.listeners()).extracting(l -> l.address().getPort()).containsExactly(second);
    }

    @Test
    void rateLimitsChangeOnReloadAndTheirCountsStay() throws Exception {
        int port = freePort();
        String toml = """
                hostname = "mx.example.test"
                data_dir = "data"
                local_domains = ["example.test"]
                relay_networks = []
                [dns]
                servers = ["127.0.0.1:9"]
                [[listener]]
                role = "smtp"
                address = "127.0.0.1"
                port = %d
                [rate_limits]
                connections_per_ip = "%s"
                """;
        server = Postwerk.start(ConfigLoader.parse(toml.formatted(port, "2/1h"), dir, "postwerk.toml"));
        for (int i = 0; i < 2; i++) {
            greeted(port).close();
        }
        try (SmtpScript third = SmtpScript.connect(local(port))) {
            third.expect("421 4\\.7\\.0 .*");
        }
        assertThat(server.reload(ConfigLoader.parse(toml.formatted(port, "3/1h"), dir, "postwerk.toml")))
                .isInstanceOf(ReloadOutcome.Applied.class);
        greeted(port).close(); // the third in the hour: the two before still count
        try (SmtpScript fourth = SmtpScript.connect(local(port))) {
            fourth.expect("421 4\\.7\\.0 .*");
        }
    }

    @Test
    void aConfigurationThatFailsItsChecksIsRefusedWhole() throws Exception {
        int port = freePort();
        server = Postwerk.start(config("", port));
        Files.writeString(dir.resolve("broken.pem"), "not PEM\n");
        ReloadOutcome outcome = server.reload(config(
                "[tls]\ncertificate = \"broken.pem\"\nkey = \"broken.pem\"\n[limits]\nmessage_size = 1024\n",
                port, freePort()));

        assertThat(outcome).isInstanceOf(ReloadOutcome.Refused.class);
        assertThat(outcome.summary()).contains(dir.resolve("broken.pem") + ": no CERTIFICATE block");
        assertThat(server.listeners()).hasSize(1);
        try (SmtpScript s = greeted(port)) {
            assertThat(s.send("EHLO client.example").reply()).contains("250-SIZE 52428800");
        }
    }

    @Test
    void settingsThatNeedARestartAreNamedAndKept() throws Exception {
        int port = freePort();
        server = Postwerk.start(config("", port));
        Config next = config("[queue]\nconcurrency = 70\n", port);
        Config moved = new Config(next.hostname(), dir.resolve("elsewhere"), next.localDomains(), next.relayNetworks(),
                next.listeners(), next.tls(), next.dns(), next.limits(), next.timeouts(), next.smtp(), next.queue(),
                next.routes(), next.auth(), next.storage(), next.login(), next.imap());
        ReloadOutcome outcome = server.reload(moved);
        assertThat(outcome.summary()).contains("data_dir changed: needs a restart", "[queue] changed: needs a restart");
        assertThat(server.config().dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void aCertificateReplacedOnDiskIsServedToTheNextClientWithoutASignal() throws Exception {
        TestCertificates one = TestCertificates.rsa("one.example.test");
        TestCertificates two = TestCertificates.rsa("two.example.test");
        one.writeCertificate(dir.resolve("cert.pem"));
        one.writeKey(dir.resolve("key.pem"), TestCertificates.KeyFormat.PKCS8);
        int port = freePort();
        server = Postwerk.start(config("[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n[[listener]]\n"
                + "role = \"submissions\"\naddress = \"127.0.0.1\"\nport = " + port + "\n"));
        assertThat(served(port)).isEqualTo(one.certificate());

        // As certbot does: new files renamed over the old ones.
        two.writeCertificate(dir.resolve("cert.new"));
        two.writeKey(dir.resolve("key.new"), TestCertificates.KeyFormat.PKCS8);
        Files.move(dir.resolve("key.new"), dir.resolve("key.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("cert.new"), dir.resolve("cert.pem"), StandardCopyOption.REPLACE_EXISTING);

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        X509Certificate seen = served(port);
        while (!seen.equals(two.certificate()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
            seen = served(port);
        }
        assertThat(seen).isEqualTo(two.certificate());
    }

    /** The leaf certificate the server shows a new client on an implicit-TLS port. */
    private static X509Certificate served(int port) throws Exception {
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return (X509Certificate) List.of(s.getSession().getPeerCertificates()).getFirst();
        }
    }
}
