package org.postwerk.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.auth.spf.SpfVerifier;
import org.postwerk.config.AuthConfig;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import org.postwerk.dns.Resolver;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;
import org.postwerk.testkit.TestServer;
import org.postwerk.testkit.ZoneResolver;

/** SPF through the smtp listener, against zone data: tagging, rejecting, forged results removed. */
class MessageAuthenticationTest {
    static final String ZONE = """
            $ORIGIN example.
            good       300 IN TXT "v=spf1 ip4:127.0.0.1 -all"
            bad        300 IN TXT "v=spf1 ip4:192.0.2.1 -all"
            soft       300 IN TXT "v=spf1 ~all"
            _dmarc.bad 300 IN TXT "v=DMARC1; p=reject"
            strict     300 IN TXT "v=spf1 ip4:192.0.2.1 -all"
            _dmarc.strict 300 IN TXT "v=DMARC1; p=quarantine"
            _dmarc.good 300 IN TXT "v=DMARC1; p=reject"
            half       300 IN TXT "v=spf1 ip4:192.0.2.1 -all"
            _dmarc.half 300 IN TXT "v=DMARC1; p=reject; pct=50"
            """;

    @TempDir
    Path data;

    private MessageAuthentication.Verifiers verifiers(Resolver dns) throws Exception {
        return new MessageAuthentication.Verifiers(new SpfVerifier(dns, "mx.example.org"),
                new org.postwerk.auth.dkim.DkimVerifier(dns, java.time.Clock.systemUTC()),
                new org.postwerk.auth.dmarc.DmarcVerifier(dns, org.postwerk.auth.dmarc.OrganizationalDomains.bundled()),
                new org.postwerk.auth.arc.ArcVerifier(dns, java.time.Clock.systemUTC()),
                new org.postwerk.auth.dkim.DkimKeys(data),
                new org.postwerk.auth.dmarc.DmarcReportStore(data.resolve("dmarc"), java.time.Clock.systemUTC(),
                        Duration.ZERO));
    }

    private TestServer server(Resolver dns, AuthConfig config) throws Exception {
        return new TestServer(data).checks(new MessageAuthentication(verifiers(dns), config, "mx.example.org")).start();
    }

    private static void send(SmtpScript s, String from, String extraHeaders) throws Exception {
        s.send("MAIL FROM:<" + from + ">").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
        s.send("DATA").expect("354 .*").raw(extraHeaders + "Subject: spf\r\n\r\nbody\r\n.\r\n").expect("250 .*");
    }

    @Test
    void resultsAreTaggedAndForgedResultsDropped() throws Exception {
        AuthConfig tag = new AuthConfig(true, AuthConfig.SpfAction.TAG, true, true, AuthConfig.DmarcAction.POLICY);
        try (TestServer server = server(new ZoneResolver(ZONE), tag); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.good.example").expect("250 .*");
            send(s, "someone@good.example", "Authentication-Results: mx.example.org; spf=pass (forged)\r\n"
                    + "Authentication-Results:\r\n mx.example.org; dkim=pass (forged, folded)\r\n"
                    + "Authentication-Results: (c\r\n ) mx.example.org; dmarc=pass (forged, comment)\r\n"
                    + "Authentication-Results: other.example; spf=fail\r\n");
            List<Path> inbox = server.inbox("alice@example.org");
            String first = org.postwerk.testkit.MaildirFiles.read(inbox.get(0));
            send(s, "someone@bad.example", "");
            inbox = server.inbox("alice@example.org");
            assertThat(first).contains("Authentication-Results: mx.example.org;\r\n\tspf=pass smtp.mailfrom=good.example;"
                    + "\r\n\tdkim=none;\r\n\tarc=none smtp.remote-ip=127.0.0.1;\r\n\tdmarc=permerror"); // no From: no DMARC
            assertThat(first).doesNotContain("forged").contains("Authentication-Results: other.example; spf=fail\r\n");
            assertThat(first).contains("Received-SPF: pass");
            assertThat(inbox).hasSize(2).anySatisfy(p -> assertThat(org.postwerk.testkit.MaildirFiles.read(p))
                    .contains("spf=fail smtp.mailfrom=bad.example"));
        }
    }

    @Test
    void dkimSignaturesAreVerifiedWhileTheMessageStreams() throws Exception {
        java.security.KeyPair pair = DkimKeys.generate(Algorithm.KeyType.ED25519);
        ZoneResolver dns = new ZoneResolver(ZONE).add(DkimKeys.zoneLine("good.example", "s1", pair.getPublic()) + "\n");
        DkimSigner signer = new DkimSigner(List.of(new DkimSigner.Key("good.example", "s1",
                Algorithm.ED25519_SHA256, pair.getPrivate())), java.time.Clock.systemUTC());
        String message = "From: a@good.example\r\nTo: alice@example.org\r\nSubject: signed\r\n\r\nbody\r\n";
        DkimSigner.Signing signing = signer.begin();
        byte[] bytes = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        signing.update(bytes, 0, bytes.length);
        String signed = signing.finish() + message;
        try (TestServer server = server(dns, AuthConfig.DEFAULTS); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.good.example").expect("250 .*");
            s.send("MAIL FROM:<a@good.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw(signed + ".\r\n").expect("250 .*");
            s.send("MAIL FROM:<a@good.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw(signed.replace("body", "b0dy") + ".\r\n").expect("250 .*");
            List<String> stored = new java.util.ArrayList<>();
            for (Path p : server.inbox("alice@example.org")) {
                stored.add(org.postwerk.testkit.MaildirFiles.read(p));
            }
            assertThat(stored).filteredOn(m -> m.contains("\r\n\r\nbody\r\n")).singleElement().asString()
                    .contains("dkim=pass header.d=good.example header.s=s1");
            assertThat(stored).filteredOn(m -> m.contains("b0dy")).singleElement().asString()
                    .contains("dkim=fail reason=\"body hash mismatch\" header.d=good.example");
        }
    }

    /** The real resolver against the in-process DNS server on loopback (UDP and TCP), as in production. */
    private static Resolver overTheWire(TestDnsServer dns) {
        return new DnsjavaResolver(List.of(dns.address()), Duration.ofSeconds(2), 0,
                new DnsCache(Clock.systemUTC(), 100, Duration.ofMinutes(5)));
    }

    @Test
    void dmarcRejectQuarantineAndPass() throws Exception {
        try (TestDnsServer dns = new TestDnsServer(ZONE);
             TestServer server = server(overTheWire(dns), AuthConfig.DEFAULTS); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example").expect("250 .*");
            // SPF fails for bad.example and nothing else aligns: p=reject.
            s.send("MAIL FROM:<x@bad.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("From: x@bad.example\r\nSubject: d\r\n\r\nb\r\n.\r\n")
                    .expect("550 5\\.7\\.1 Rejected by the DMARC policy of bad\\.example");
            // p=quarantine: delivered into the Junk folder.
            s.send("MAIL FROM:<x@strict.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("From: x@strict.example\r\nSubject: q\r\n\r\nb\r\n.\r\n")
                    .expect("250 .*");
            // SPF passes and aligns with From: DMARC pass.
            s.send("MAIL FROM:<x@good.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
            s.send("DATA").expect("354 .*").raw("From: Good <x@good.example>\r\nSubject: p\r\n\r\nb\r\n.\r\n")
                    .expect("250 .*");
        }
        Path junk = data.resolve("mail/example.org/alice/Maildir/.Junk/new");
        try (var files = java.nio.file.Files.list(junk)) {
            List<Path> quarantined = files.toList();
            assertThat(quarantined).hasSize(1);
            assertThat(java.nio.file.Files.readString(quarantined.get(0))).contains("dmarc=fail")
                    .contains("header.from=strict.example");
        }
        TestServer view = new TestServer(data);
        assertThat(view.inbox("alice@example.org")).singleElement().satisfies(p -> assertThat(
                org.postwerk.testkit.MaildirFiles.read(p)).contains("dmarc=pass").contains("header.from=good.example"));
        try (var reports = new org.postwerk.auth.dmarc.DmarcReportStore(data.resolve("dmarc"),
                java.time.Clock.systemUTC(), Duration.ZERO)) {
            assertThat(reports.domains(java.time.LocalDate.now(java.time.ZoneOffset.UTC)))
                    .contains("bad.example", "strict.example", "good.example");
        }
    }

    /** {@code dis=} says what this server did with the message, not what the domain owner asked for. */
    @Test
    void disIsWhatTheConfiguredEnforcementDid() throws Exception {
        for (AuthConfig.DmarcAction action : List.of(AuthConfig.DmarcAction.NONE, AuthConfig.DmarcAction.QUARANTINE)) {
            AuthConfig config = new AuthConfig(true, AuthConfig.SpfAction.TAG, true, true, action);
            try (TestServer server = server(new ZoneResolver(ZONE), config); SmtpScript s = server.connect()) {
                s.expect("220 .*").send("EHLO client.example").expect("250 .*");
                // SPF fails for bad.example, whose record says p=reject: delivered all the same.
                send(s, "x@bad.example", "From: x@bad.example\r\n");
            }
            Path folder = data.resolve(action == AuthConfig.DmarcAction.NONE ? "mail/example.org/alice/Maildir/new"
                    : "mail/example.org/alice/Maildir/.Junk/new");
            String dis = action == AuthConfig.DmarcAction.NONE ? "none" : "quarantine";
            try (var files = java.nio.file.Files.list(folder)) {
                assertThat(files.toList()).singleElement().satisfies(p -> assertThat(org.postwerk.testkit.MaildirFiles.read(p))
                        .contains("dmarc=fail (p=reject dis=" + dis + ") header.from=bad.example"));
            }
        }
    }

    /**
     * With pct=50 a message is in the sample (550) or out of it (250 into Junk) by its Message-ID or, without
     * one, by From, Date and body: the same message sent again meets the same verdict every time.
     */
    @Test
    void aRetriedMessageMeetsTheSameDmarcVerdict() throws Exception {
        try (TestServer server = server(new ZoneResolver(ZONE), AuthConfig.DEFAULTS); SmtpScript s = server.connect()) {
            s.expect("220 .*").send("EHLO client.example").expect("250 .*");
            java.util.Set<String> retried = new java.util.HashSet<>();
            java.util.Set<String> withoutId = new java.util.HashSet<>();
            java.util.Set<String> different = new java.util.HashSet<>();
            for (int i = 0; i < 10; i++) {
                retried.add(halfMessage(s, "Message-ID: <same@half.example>\r\n", "b"));
                withoutId.add(halfMessage(s, "Date: Mon, 1 Jun 2026 10:00:00 +0000\r\n", "the same body"));
            }
            for (int i = 0; i < 20; i++) {
                different.add(halfMessage(s, "Message-ID: <" + i + "@half.example>\r\n", "b"));
            }
            assertThat(retried).hasSize(1);
            assertThat(withoutId).hasSize(1);
            assertThat(different).containsExactlyInAnyOrder("250", "550"); // both sides of the 50 % sample
        }
    }

    /** Sends a DMARC-failing message from half.example; the reply code to its end of data. */
    private static String halfMessage(SmtpScript s, String headers, String body) throws Exception {
        s.send("MAIL FROM:<x@half.example>").expect("250 .*").send("RCPT TO:<alice@example.org>").expect("250 .*");
        s.send("DATA").expect("354 .*").raw("From: x@half.example\r\n" + headers + "Subject: pct\r\n\r\n" + body
                + "\r\n.\r\n");
        return s.reply().get(0).substring(0, 3);
    }

    @Test
    void mailForwardedToAnotherDomainIsArcSealedAndTheSealValidates() throws Exception {
        java.security.KeyPair pair = DkimKeys.generate(Algorithm.KeyType.ED25519);
        Path key = new DkimKeys(data).path("example.org", "arc1");
        java.nio.file.Files.createDirectories(key.getParent());
        java.nio.file.Files.write(key, DkimKeys.pem(pair));
        try (TestDnsServer dnsServer = new TestDnsServer(ZONE + DkimKeys.zoneLine("example.org", "arc1", pair.getPublic()) + "\n");
             TestServer server = server(overTheWire(dnsServer), AuthConfig.DEFAULTS)) {
            Resolver dns = overTheWire(dnsServer);
            server.directory.forward("list@example.org", new org.postwerk.smtp.Mailbox("friend", "elsewhere.example"));
            try (SmtpScript s = server.connect()) {
                s.expect("220 .*").send("EHLO client.good.example").expect("250 .*");
                s.send("MAIL FROM:<x@good.example>").expect("250 .*").send("RCPT TO:<list@example.org>").expect("250 .*");
                s.send("DATA").expect("354 .*").raw("From: x@good.example\r\nSubject: fwd\r\n\r\nhello\r\n.\r\n")
                        .expect("250 .*");
            }
            byte[] forwarded = server.relayed().get(0).content();
            assertThat(new String(forwarded, java.nio.charset.StandardCharsets.UTF_8)).contains("ARC-Seal: i=1; a=ed25519-sha256;").contains("cv=none")
                    .contains("ARC-Authentication-Results: i=1; mx.example.org;");
            var check = new org.postwerk.auth.arc.ArcVerifier(dns, java.time.Clock.systemUTC()).begin();
            check.update(forwarded, 0, forwarded.length);
            assertThat(check.finish().authenticationResults()).startsWith("arc=pass");
        }
    }

    @Test
    void rejectPolicyRefusesFailAt550AndTempErrorAt451() throws Exception {
        AuthConfig reject = new AuthConfig(true, AuthConfig.SpfAction.REJECT, false, true, AuthConfig.DmarcAction.POLICY);
        try (TestDnsServer dnsServer = new TestDnsServer(ZONE)) {
            dnsServer.timeout("slow.example");
            Resolver dns = new DnsjavaResolver(List.of(dnsServer.address()), Duration.ofMillis(300), 0,
                    new DnsCache(Clock.systemUTC(), 100, Duration.ofMinutes(5)));
            try (TestServer server = server(dns, reject); SmtpScript s = server.connect()) {
                s.expect("220 .*").send("EHLO client.example").expect("250 .*");
                s.send("MAIL FROM:<x@bad.example>").expect("550 5\\.7\\.23 SPF validation failed for bad\\.example");
                s.send("MAIL FROM:<x@slow.example>").expect("451 4\\.4\\.3 .*");
                send(s, "x@soft.example", "");
                assertThat(server.onlyMessage("alice@example.org")).contains("spf=softfail smtp.mailfrom=soft.example");
            }
        }
    }

    @Test
    void authenticatedAndSubmissionMailIsNotChecked() throws Exception {
        MessageAuthentication checks = new MessageAuthentication(verifiers(new ZoneResolver(ZONE)),
                AuthConfig.DEFAULTS, "mx");
        var t = checks.begin(new org.postwerk.smtp.server.InboundChecks.Client(java.net.InetAddress.getLoopbackAddress(),
                "h", "alice@example.org", org.postwerk.config.Role.SMTP), java.util.Optional.empty());
        assertThat(t.atEnd()).isEqualTo(new org.postwerk.smtp.server.InboundChecks.Verdict.Accept(""));
    }
}
