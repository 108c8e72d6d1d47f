package org.postwerk.testkit;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.postwerk.tls.ClientTls;

/** A fresh self-signed certificate for one host name: a server context, and a client that trusts only it. */
public final class TestTls {
    public final SSLContext server;
    public final ClientTls trusting;

    public TestTls(String hostName) {
        TestCertificates certs = TestCertificates.ec(hostName);
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("key", certs.keys().getPrivate(), new char[0], new X509Certificate[] {certs.certificate()});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        trusting = ClientTls.trusting(List.of(certs.certificate()));
    }
}
