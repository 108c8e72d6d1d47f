package org.postwerk.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * Builds server {@link SSLContext}s: from the operator's PEM files, or from a self-signed certificate made on
 * first start. Pair the result with {@link ServerTls}, which applies the protocol and cipher policy.
 */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * A server context from a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 RSA or
     * SEC1 EC, unencrypted).
     *
     * @throws IOException when a file cannot be read or holds no usable certificate or key
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey) throws IOException {
        return server(PemFiles.readChain(certificateChain), PemFiles.readKey(privateKey));
    }

    /**
     * A server context from the self-signed certificate kept in {@code dir} ({@code DATA/tls}), made there
     * first when missing or expiring; names {@code hostname} and {@code localhost}.
     */
    public static SSLContext selfSigned(Path dir, String hostname) throws IOException {
        return selfSigned(dir, hostname, Clock.systemUTC());
    }

    static SSLContext selfSigned(Path dir, String hostname, Clock clock) throws IOException {
        SelfSigned.Material m = SelfSigned.loadOrCreate(dir, hostname, clock);
        return server(m.chain(), m.key());
    }

    static SSLContext server(List<X509Certificate> chain, PrivateKey key) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
            // PKIX picks among several keys by the algorithms the client offers; SunX509 would not.
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("the key does not fit the certificate: " + e.getMessage(), e);
        }
    }
}
