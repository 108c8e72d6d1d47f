package org.postwerk.testkit;

import java.io.IOException;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.postwerk.tls.ClientTls;

/**
 * A fresh self-signed certificate for one host name: a server context, and a client that trusts only it; and
 * server contexts for certificates issued by a test CA ({@link TestCertificates#ca}).
 */
public final class TestTls {
    public final SSLContext server;
    public final ClientTls trusting;

    public TestTls(String hostName) {
        TestCertificates certs = TestCertificates.ec(hostName);
        server = server(certs);
        trusting = ClientTls.trusting(List.of(certs.certificate()));
    }

    /** The server side of a TLS handshake on an accepted socket (implicit TLS, or after STARTTLS/STLS). */
    public SSLSocket wrapServer(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) server.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        return s;
    }

    /** A server context presenting {@code leaf} followed by {@code chain} (e.g. the issuing CA). */
    public static SSLContext server(TestCertificates leaf, X509Certificate... chain) {
        try {
            X509Certificate[] all = new X509Certificate[chain.length + 1];
            all[0] = leaf.certificate();
            System.arraycopy(chain, 0, all, 1, chain.length);
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", leaf.keys().getPrivate(), new char[0], all);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
