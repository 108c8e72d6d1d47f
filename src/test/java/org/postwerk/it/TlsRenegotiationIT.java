package org.postwerk.it;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postwerk.testkit.Renegotiation;
import org.postwerk.testkit.SmtpScript;

/**
 * The real {@code postwerk serve} refuses TLS 1.2 renegotiation by the client on both TLS ports. Here nothing
 * but the server itself sets {@code jdk.tls.rejectClientInitiatedRenegotiation} (the unit-test JVM sets it at
 * start), so this shows that the server's own setting takes effect before its first handshake.
 */
class TlsRenegotiationIT {
    @TempDir
    Path dir;

    @Test
    void refusedByTheServerProcess() throws Exception {
        try (ServerProcess server = new ServerProcess(dir)) {
            server.start();
            try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.submission))) {
                s.expect("220 .*").send("EHLO c").expect("250 .*").send("STARTTLS").expect("220 .*");
                SSLSocket tls = Renegotiation.tls12(s.socket());
                s.attach(tls);
                s.send("EHLO c").expect("250 .*");
                Renegotiation.assertEndsTheConnection(s, tls);
            }
            try (SmtpScript s = SmtpScript.connect(new InetSocketAddress("127.0.0.1", server.submissions))) {
                SSLSocket tls = Renegotiation.tls12(s.socket());
                s.attach(tls);
                s.expect("220 .*").send("EHLO c").expect("250 .*");
                Renegotiation.assertEndsTheConnection(s, tls);
            }
        }
    }
}
