package org.postwerk.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.config.Config;
import org.postwerk.config.Limits;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.net.Listener;
import org.postwerk.testkit.ImapScript;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.tls.ClientTls;

/**
 * One client, two protocols, one count of failed logins: guesses over IMAP use up the client's budget for
 * submission too (and the other way round), so a password guesser gains nothing by switching ports.
 */
class SharedLoginLimitsTest {
    private static final String USER = "alice@example.test";
    private static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    private Postwerk start() throws Exception {
        Config d = Config.defaults(dir);
        InetAddress lo = InetAddress.getLoopbackAddress();
        Limits l = d.limits();
        Limits oneFailure = new Limits(l.messageSize(), l.recipients(), l.commandLine(), l.textLine(),
                l.connections(), l.connectionsPerIp(), l.errors(), 1, Duration.ZERO); // 4 per client in the window
        Config config = new Config("mx.example.test", dir.resolve("data"), List.of("example.test"), List.of(),
                List.of(new ListenerConfig(Role.SUBMISSIONS, new InetSocketAddress(lo, 0), false),
                        new ListenerConfig(Role.IMAPS, new InetSocketAddress(lo, 0), false)),
                d.tls(), d.dns(), oneFailure, d.timeouts(), d.smtp(), d.queue(), List.of(), d.auth(), d.storage(),
                d.login(), d.imap());
        new AccountEditor(new AccountStore(dir.resolve("data/accounts"), AccountSettings.of(Set.of("example.test"))))
                .addUser(USER, PASSWORD.toCharArray());
        return Postwerk.start(config);
    }

    private static InetSocketAddress address(Postwerk server, Role role) {
        return server.listeners().stream().filter(x -> x.role() == role).findFirst().map(Listener::address)
                .orElseThrow();
    }

    @Test
    void imapGuessesBlockSubmissionLogins() throws Exception {
        try (Postwerk server = start()) {
            for (int i = 0; i < 4; i++) {
                try (ImapScript imap = ImapScript.imaps(address(server, Role.IMAPS), Duration.ofSeconds(10))) {
                    assertThat(imap.command("LOGIN " + USER + " guess" + i).getLast()).startsWith("t1 NO [AUTHENTICATIONFAILED]");
                }
            }
            try (SmtpScript s = SmtpScript.connect(address(server, Role.SUBMISSIONS))) {
                s.attach(ClientTls.opportunistic().wrap(s.socket(), "localhost", Duration.ofSeconds(10)));
                s.expect("220 .*").send("EHLO c").expect("250 .*");
                s.send("AUTH PLAIN " + Base64.getEncoder().encodeToString(("\0" + USER + "\0" + PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).expect("454 4\\.7\\.0 .*");
            }
            try (ImapScript imap = ImapScript.imaps(address(server, Role.IMAPS), Duration.ofSeconds(10))) {
                assertThat(imap.command("LOGIN " + USER + " \"" + PASSWORD + "\"").getLast()).startsWith("t1 NO [UNAVAILABLE]");
            }
        }
    }
}
