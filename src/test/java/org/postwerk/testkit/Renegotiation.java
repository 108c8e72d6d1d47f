package org.postwerk.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;
import org.postwerk.tls.ClientTls;

/** A TLS 1.2 client that renegotiates on an established session, to show the server will not. */
public final class Renegotiation {
    private Renegotiation() {}

    /** TLS 1.2 only: TLS 1.3 has no renegotiation (a second startHandshake() is a KeyUpdate there). */
    public static SSLSocket tls12(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) ClientTls.opportunistic().context().getSocketFactory()
                .createSocket(plain, "mx.example.org", plain.getPort(), true);
        tls.setEnabledProtocols(new String[] {"TLSv1.2"});
        tls.startHandshake();
        assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
        return tls;
    }

    /** Renegotiates, then sends NOOP: the server must have ended the connection rather than answer. */
    public static void assertEndsTheConnection(SmtpScript s, SSLSocket tls) {
        boolean ended;
        try {
            tls.startHandshake(); // on an established TLS 1.2 session: a renegotiation, started by the client
            s.send("NOOP").expect("250 .*");
            ended = false;
        } catch (IOException e) {
            ended = true; // the server's handshake_failure alert, or the closed connection
        }
        assertThat(ended).as("the server renegotiated and went on").isTrue();
    }
}
