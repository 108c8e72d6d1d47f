package org.postwerk.sasl;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.account.HashPool;
import org.postwerk.account.Passwords;
import org.postwerk.config.Role;
import org.postwerk.smtp.server.SaslAuthentication;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerTls;
import org.postwerk.tls.TlsContexts;

/**
 * SCRAM-SHA-256 (RFC 7677) through the SMTP server over real TLS: the server-final message travels as one more
 * 334 challenge (RFC 4954 §4 has no room for data with 235), the client answers empty, then 235.
 */
class ScramOverSmtpTest {
    @TempDir
    Path data;

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static byte[] challenge(String reply) {
        assertThat(reply).startsWith("334 ");
        return Base64.getDecoder().decode(reply.substring(4));
    }

    @Test
    void scramLoginThenMail() throws Exception {
        AccountStore accounts = new AccountStore(data.resolve("accounts"),
                new AccountSettings(Set.of("example.org"), Optional.empty(), "+"));
        new AccountEditor(accounts).addUser("carol@example.org", "pencil and paper".toCharArray());
        ServerTls tls = new ServerTls(TlsContexts.selfSigned(data.resolve("tls"), "mx.example.org"), Duration.ofSeconds(5));
        try (HashPool pool = new HashPool(1, 0);
             TestServer server = new TestServer(data).tls(tls::wrapServer).authentication(new SaslAuthentication(
                     new Sasl(new Passwords(accounts, pool), new LoginBudget(10, Clock.systemUTC()))))
                     .start(Role.SUBMISSIONS);
             SmtpScript s = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
            s.attach(ClientTls.opportunistic().wrap(s.socket(), "mx.example.org", Duration.ofSeconds(5)));
            s.expect("220 .*").send("EHLO client.example");
            assertThat(s.reply()).anyMatch(l -> l.contains("AUTH SCRAM-SHA-256"));

            ScramClient client = new ScramClient("carol@example.org", "pencil and paper", "fyko+d2lbbFgONRv9qkxdawL", "n,,");
            s.send("AUTH SCRAM-SHA-256 " + b64(client.first()));
            byte[] serverFirst = challenge(s.reply().get(0));
            s.send(b64(client.last(serverFirst)));
            byte[] serverFinal = challenge(s.reply().get(0));
            assertThat(client.verify(serverFinal)).as("server proved it knows the key").isTrue();
            s.send("").expect("235 2\\.7\\.0 .*");
            s.send("MAIL FROM:<carol@example.org>").expect("250 .*");

            // A wrong password: the server refuses at the proof.
            try (SmtpScript t = SmtpScript.connect(server.address(Role.SUBMISSIONS))) {
                t.attach(ClientTls.opportunistic().wrap(t.socket(), "mx.example.org", Duration.ofSeconds(5)));
                t.expect("220 .*").send("EHLO c").expect("250 .*");
                ScramClient wrong = new ScramClient("carol@example.org", "pencil", "rOprNGfwEbeRWgbNEkqO", "n,,");
                t.send("AUTH SCRAM-SHA-256 " + b64(wrong.first()));
                byte[] first = challenge(t.reply().get(0));
                t.send(b64(wrong.last(first))).expect("535 5\\.7\\.8 .*");
            }
        }
    }
}
