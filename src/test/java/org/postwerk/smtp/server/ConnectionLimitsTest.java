package org.postwerk.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.config.Limits;
import org.postwerk.testkit.MailLog;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestServer;

/**
 * Connection slots over real sockets from several loopback addresses (any of 127.0.0.0/8 can be bound on
 * Linux): per address, per network, the trusted networks, the slot given back at QUIT, refusals in the log.
 */
class ConnectionLimitsTest {
    @TempDir
    Path data;

    static Limits limits(int connections, int perIp) {
        return new Limits(1 << 20, 100, 512, 1000, connections, perIp, 30, 3, Duration.ZERO);
    }

    static SmtpScript from(TestServer server, String address) throws Exception {
        return SmtpScript.connect(server.address(), InetAddress.getByName(address));
    }

    @Test
    void aNetworkIsLimitedAsWellAsEachAddress() throws Exception {
        Limits limits = new Limits(1 << 20, 100, 512, 1000, 20, 2, 30, 3, Duration.ZERO,
                new Limits.PerNetwork(3, 24, 64), Limits.Stress.DEFAULT);
        try (TestServer server = new TestServer(data).limits(limits).start();
             SmtpScript a1 = from(server, "127.0.5.1");
             SmtpScript a2 = from(server, "127.0.5.1");
             SmtpScript b1 = from(server, "127.0.5.2")) {
            a1.expect("220 .*");
            a2.expect("220 .*");
            b1.expect("220 .*");
            try (SmtpScript a3 = from(server, "127.0.5.1")) {
                a3.expect("421 4\\.7\\.0 Too many connections from your address");
            }
            try (SmtpScript c1 = from(server, "127.0.5.3")) {
                c1.expect("421 4\\.7\\.0 Too many connections from your network");
                assertThat(c1.closedByServer()).isTrue();
            }
            try (SmtpScript elsewhere = from(server, "127.0.6.3")) {
                elsewhere.expect("220 .*");
            }
            a1.send("QUIT").expect("221 .*");
            try (SmtpScript c1 = from(server, "127.0.5.3")) {
                c1.expect("220 .*"); // a slot of the network is free again
            }
        }
    }

    @Test
    void trustedNetworksAreNotLimitedPerClientButCountTowardsTheTotal() throws Exception {
        try (TestServer server = new TestServer(data).limits(limits(3, 1)).relayNetworks("127.0.0.0/8").start();
             SmtpScript first = server.connect();
             SmtpScript second = server.connect();
             SmtpScript third = server.connect()) {
            first.expect("220 .*");
            second.expect("220 .*");
            third.expect("220 .*");
            try (SmtpScript fourth = server.connect()) {
                fourth.expect("421 4\\.7\\.0 Too many connections, try again later");
            }
        }
    }

    @Test
    void theSlotIsFreeBeforeThe221Arrives() throws Exception {
        try (TestServer server = new TestServer(data).limits(limits(100, 1)).start()) {
            // Reconnecting the moment QUIT is answered: each new session must be admitted.
            for (int i = 0; i < 100; i++) {
                try (SmtpScript s = server.connect()) {
                    s.expect("220 .*").send("QUIT").expect("221 .*");
                }
            }
        }
    }

    @Test
    void aRefusedConnectionIsARejectedLineInTheMailLog() throws Exception {
        try (MailLog log = MailLog.capture();
             TestServer server = new TestServer(data).limits(limits(100, 1)).start();
             SmtpScript first = server.connect()) {
            first.expect("220 .*");
            try (SmtpScript second = server.connect()) {
                second.expect("421 4\\.7\\.0 .*");
                String client = "127\\.0\\.0\\.1:" + second.socket().getLocalPort();
                assertThat(log.lines()).anyMatch(l -> l.matches("rejected session=\\w+ client=" + client
                        + " reply=\"421 4\\.7\\.0 Too many connections from your address\""));
            }
        }
    }
}
