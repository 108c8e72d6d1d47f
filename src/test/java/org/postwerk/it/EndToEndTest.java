package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.config.Config;
import org.postwerk.config.DnsConfig;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.config.RouteConfig;
import org.postwerk.config.SmtpOptions;
import org.postwerk.net.Listener;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimVerifier;
import org.postwerk.testkit.SinkServer;
import org.postwerk.testkit.ZoneResolver;
import org.postwerk.testkit.TestDnsServer;

/**
 * The whole server (composition root, real account store, real TLS with the self-signed bootstrap, Maildir)
 * driven by a real third-party client, Jakarta Mail (Angus): submission with STARTTLS + AUTH, implicit TLS,
 * and the MX port without authentication.
 */
class EndToEndTest {
    @TempDir
    Path dir;
    private Postwerk server;
    private TestDnsServer dns;
    private SinkServer sink;

    @BeforeEach
    void start() throws Exception {
        Config d = Config.defaults(dir);
        // Never the system resolver: SPF lookups for the senders below go to a DNS server of our own.
        dns = new TestDnsServer("example.net. 300 IN TXT \"v=spf1 ip4:127.0.0.1 -all\"\n");
        sink = new SinkServer(); // the next hop for every remote domain, through a [[route]] override
        InetAddress lo = InetAddress.getLoopbackAddress();
        Config config = new Config("mx.example.test", dir.resolve("data"), List.of("example.test"), List.of(),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(lo, 0), false),
                        new ListenerConfig(Role.SUBMISSION, new InetSocketAddress(lo, 0), false),
                        new ListenerConfig(Role.SUBMISSIONS, new InetSocketAddress(lo, 0), false)),
                d.tls(), new DnsConfig(List.of(dns.address()), java.time.Duration.ofSeconds(2)), d.limits(), d.timeouts(), new SmtpOptions(false, "alice@example.test"),
                d.queue(), List.of(new RouteConfig("*", "127.0.0.1", sink.port(), false, false, Optional.empty(),
                        Optional.empty())), d.auth(), d.storage(), d.login(), d.imap(), d.pop3(), d.web(), d.log());
        AccountStore accounts = new AccountStore(dir.resolve("data/accounts"),
                AccountSettings.of(java.util.Set.of("example.test")));
        new AccountEditor(accounts).addUser("alice@example.test", "correct horse battery".toCharArray());
        server = Postwerk.start(config);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        dns.close();
        sink.close();
    }

    private int port(Role role) {
        return server.listeners().stream().filter(l -> l.role() == role).findFirst()
                .map(Listener::address).orElseThrow().getPort();
    }

    private static Properties tls(String protocol, int port) {
        Properties p = new Properties();
        p.put("mail." + protocol + ".host", "127.0.0.1");
        p.put("mail." + protocol + ".port", Integer.toString(port));
        p.put("mail." + protocol + ".ssl.trust", "*"); // the self-signed certificate made on first start
        p.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        p.put("mail." + protocol + ".timeout", "10000");
        return p;
    }

    private static MimeMessage message(Session session, String from, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(from));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("Hello from Jakarta Mail.\n.a line with a leading dot\n");
        return m;
    }

    private List<String> inbox() throws Exception {
        Path dirNew = dir.resolve("data/mail/example.test/alice/Maildir/new");
        try (Stream<Path> files = Files.list(dirNew)) {
            return files.sorted().map(org.postwerk.testkit.MaildirFiles::read).toList();
        }
    }

    @Test
    void submissionWithStartTlsAndAuth() throws Exception {
        Properties p = tls("smtp", port(Role.SUBMISSION));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        Transport.send(message(session, "alice@example.test", "alice@example.test", "via 587"),
                "alice@example.test", "correct horse battery");
        String stored = inbox().get(0);
        assertThat(stored).startsWith("Return-Path: <alice@example.test>\r\n");
        assertThat(stored).contains("with ESMTPSA id").contains("Subject: via 587")
                .contains("\r\n.a line with a leading dot\r\n");
    }

    @Test
    void submittedMailIsDkimSignedWithTheDomainsKeysAndVerifies() throws Exception {
        java.security.KeyPair pair = DkimKeys.generate(Algorithm.KeyType.ED25519);
        Path key = new DkimKeys(dir.resolve("data")).path("example.test", "s2026");
        Files.createDirectories(key.getParent());
        Files.write(key, DkimKeys.pem(pair));
        Properties p = tls("smtp", port(Role.SUBMISSION));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.auth", "true");
        Transport.send(message(Session.getInstance(p), "alice@example.test", "friend@elsewhere.example", "signed"),
                "alice@example.test", "correct horse battery");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sink.messages().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        byte[] content = sink.messages().get(0).content();
        assertThat(new String(content, java.nio.charset.StandardCharsets.UTF_8))
                .contains("DKIM-Signature: v=1; a=ed25519-sha256;").contains("d=example.test;");
        // An independent check of the signature as the next hop would do it, with the key from "DNS".
        var check = new DkimVerifier(new ZoneResolver(DkimKeys.zoneLine("example.test", "s2026", pair.getPublic())
                + "\n"), java.time.Clock.systemUTC()).begin();
        check.update(content, 0, content.length);
        assertThat(check.finish()).singleElement().satisfies(r -> assertThat(r.authenticationResults())
                .startsWith("dkim=pass header.d=example.test header.s=s2026"));
    }

    @Test
    void authenticatedSubmissionIsRelayedThroughTheQueue() throws Exception {
        Properties p = tls("smtp", port(Role.SUBMISSION));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        Transport.send(message(session, "alice@example.test", "friend@elsewhere.example", "relayed"),
                "alice@example.test", "correct horse battery");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (sink.messages().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(sink.messages()).hasSize(1);
        SinkServer.Message m = sink.messages().get(0);
        assertThat(m.mail()).startsWith("MAIL FROM:<alice@example.test>");
        assertThat(m.rcpts()).singleElement().asString().startsWith("RCPT TO:<friend@elsewhere.example>");
        assertThat(m.text()).contains("Subject: relayed").contains("with ESMTPSA id").contains("\r\nMessage-ID: <");
        while (!server.queue().entries().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.queue().entries()).isEmpty();
    }

    @Test
    void wrongPasswordIsRefused() {
        Properties p = tls("smtp", port(Role.SUBMISSION));
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.auth", "true");
        Session session = Session.getInstance(p);
        assertThatThrownBy(() -> Transport.send(message(session, "alice@example.test", "alice@example.test", "x"),
                "alice@example.test", "wrong")).isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    }

    @Test
    void implicitTlsOnSubmissions() throws Exception {
        Properties p = tls("smtps", port(Role.SUBMISSIONS));
        p.put("mail.smtps.auth", "true");
        p.put("mail.transport.protocol", "smtps");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtps")) {
            t.connect("alice@example.test", "correct horse battery");
            MimeMessage m = message(session, "alice@example.test", "alice@example.test", "via 465");
            t.sendMessage(m, m.getAllRecipients());
        }
        assertThat(inbox().get(0)).contains("Subject: via 465").contains("with ESMTPSA id")
                .containsPattern("using TLSv1\\.3 with cipher");
    }

    @Test
    void mxPortAcceptsLocalMailWithoutAuthAndRefusesRelay() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(port(Role.SMTP)));
        Session session = Session.getInstance(p);
        Transport.send(message(session, "stranger@example.net", "alice@example.test", "via 25"));
        assertThat(inbox().get(0)).contains("Subject: via 25").contains("with ESMTP id")
                .contains("spf=pass smtp.mailfrom=example.net")
                .startsWith("Return-Path: <stranger@example.net>");
        assertThatThrownBy(() -> Transport.send(message(session, "stranger@example.net", "victim@elsewhere.example",
                "relay"))).isInstanceOf(jakarta.mail.SendFailedException.class).hasMessageContaining("Invalid Addresses");
    }
}
