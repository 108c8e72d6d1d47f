package org.postwerk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigLoader;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.testkit.TestCertificates;
import picocli.CommandLine;

/**
 * {@code postwerk serve} that cannot start: one line on standard error naming the thing at fault, a
 * sysexits(3) code, no stack trace (unless --debug); {@code check-config} finds the same without binding.
 */
class StartErrorsTest {
    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final StringWriter out = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        out.getBuffer().setLength(0);
        CommandLine cli = PostwerkCommand.commandLine(new CommandLine(new PostwerkCommand()));
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(out, true));
        return cli.execute(args);
    }

    private Path config(String toml) throws Exception {
        Path file = dir.resolve("postwerk.toml");
        Files.writeString(file, toml);
        return file;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String listener(int port) {
        return "[[listener]]\nrole = \"smtp\"\naddress = \"127.0.0.1\"\nport = " + port + "\n";
    }

    /** The one line, after checking that it is the only one. */
    private String oneLine() {
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).as(err.toString()).hasSize(1);
        assertThat(lines.getFirst()).startsWith("postwerk: ");
        return lines.getFirst();
    }

    @Test
    void portInUseNamesAddressAndPort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = taken.getLocalPort();
            Path file = config("data_dir = \"data\"\n" + listener(port));
            assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
            assertThat(oneLine()).contains("smtp listener 127.0.0.1:" + port, "port " + port + " already in use",
                    "ss -ltnp");
        }
        assertThat(dir.resolve("data/journal")).doesNotExist(); // stopped before anything was replayed
    }

    @Test
    void secondServerOnTheSameDataFolder() throws Exception {
        Config c = ConfigLoader.parse("data_dir = \"data\"\n", dir, "test");
        try (Postwerk first = Postwerk.start(new Config(c.hostname(), c.dataDir(), c.localDomains(), c.relayNetworks(),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                        false)), c.tls(), c.dns(), c.limits(), c.timeouts(), c.smtp(), c.queue(), c.routes(), c.auth(),
                c.storage(), c.login(), c.imap()))) {
            Path file = config("data_dir = \"data\"\n" + listener(freePort()));
            assertThat(run("serve", "--config", file.toString())).isEqualTo(73);
            assertThat(oneLine()).contains("data folder " + dir.resolve("data"), "in use by another Postwerk server",
                    "pid " + ProcessHandle.current().pid());
            assertThat(first.listeners()).hasSize(1);
        }
        assertThat(dir.resolve("data/postwerk.lock")).exists(); // the mark stays after a stop
    }

    @Test
    void dataFolderWhoseParentIsMissing() throws Exception {
        Path file = config("data_dir = \"nowhere/data\"\n" + listener(freePort()));
        assertThat(run("serve", "--config", file.toString())).isEqualTo(73);
        assertThat(oneLine()).contains("data folder " + dir.resolve("nowhere/data"), "missing", "install -d");
        assertThat(dir.resolve("nowhere")).doesNotExist();
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("data folder " + dir.resolve("nowhere/data") + ": missing");
    }

    @Test
    void dataFolderThatIsAFile() throws Exception {
        Files.writeString(dir.resolve("data"), "");
        Path file = config("data_dir = \"data\"\n" + listener(freePort()));
        assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
        assertThat(oneLine()).contains("data folder " + dir.resolve("data") + ": exists and is not a folder");
    }

    @Test
    void certificateNotPemNamesTheFile() throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "not a certificate\n");
        TestCertificates.rsa("mx.example.test").writeKey(dir.resolve("key.pem"), TestCertificates.KeyFormat.PKCS8);
        Path file = config("data_dir = \"data\"\n" + listener(freePort())
                + "[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
        assertThat(oneLine()).contains(dir.resolve("cert.pem") + ": no CERTIFICATE block", "PEM");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("cert.pem") + ": no CERTIFICATE block");
    }

    @Test
    void keyOfAnotherCertificateNamesTheKey() throws Exception {
        TestCertificates.rsa("mx.example.test").writeCertificate(dir.resolve("cert.pem"));
        TestCertificates.rsa("other.example.test").writeKey(dir.resolve("key.pem"), TestCertificates.KeyFormat.PKCS8);
        Path file = config("data_dir = \"data\"\n" + listener(freePort())
                + "[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
        assertThat(oneLine()).contains(dir.resolve("key.pem") + ": the key does not fit the certificate");
    }

    @Test
    void anExtraCertificateWithTheWrongKeyStopsTheStartToo() throws Exception {
        TestCertificates.rsa("shop.example.test").writeCertificate(dir.resolve("shop.pem"));
        TestCertificates.rsa("other.example.test").writeKey(dir.resolve("shop.key"), TestCertificates.KeyFormat.PKCS8);
        Path file = config("data_dir = \"data\"\n" + listener(freePort())
                + "[[tls.extra]]\ncertificate = \"shop.pem\"\nkey = \"shop.key\"\n");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
        assertThat(oneLine()).contains(dir.resolve("shop.key") + ": the key does not fit the certificate");
        assertThat(run("check-config", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains(dir.resolve("shop.key") + ": the key does not fit the certificate");
    }

    @Test
    void missingKeyFileIsAConfigurationProblemWithItsLine() throws Exception {
        TestCertificates.rsa("mx.example.test").writeCertificate(dir.resolve("cert.pem"));
        Path file = config("data_dir = \"data\"\n[tls]\ncertificate = \"cert.pem\"\nkey = \"gone.pem\"\n"
                + "[limits]\nrecipients = 0\n");
        assertThat(run("serve", "--config", file.toString())).isEqualTo(78);
        assertThat(oneLine()).contains(file + ":4: tls.key: file not found", "(and 1 more: postwerk check-config)");
    }

    @Test
    void debugAddsTheStackTrace() throws Exception {
        Path file = config("data_dir = \"nowhere/data\"\n" + listener(freePort()));
        assertThat(run("serve", "--debug", "--config", file.toString())).isEqualTo(73);
        assertThat(err.toString()).startsWith("postwerk: data folder").contains("\tat org.postwerk.");
    }
}
