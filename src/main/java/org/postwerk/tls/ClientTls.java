package org.postwerk.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client-side TLS for outbound SMTP and for tests. Verification is on unless {@link #opportunistic()} is
 * asked for explicitly: RFC 7435 opportunistic STARTTLS to an MX encrypts without authenticating, because
 * refusing an unverifiable certificate would only push the mail back to plaintext.
 *
 * @param context the context to make sockets from
 * @param verifyHostname check that the certificate names the host we connected to (RFC 6125)
 */
public record ClientTls(SSLContext context, boolean verifyHostname) {
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");

    /** Trusts the JDK's default CA certificates and checks the host name. */
    public static ClientTls systemTrust() {
        return build(null, true);
    }

    /**
     * Trusts the JDK's default CA certificates and those in {@code caFile} (PEM; a private CA, or a test's),
     * and checks the host name: for MTA-STS, whose certificates must validate (RFC 8461 §4.2).
     */
    public static ClientTls systemTrustPlus(Path caFile) throws IOException {
        List<X509Certificate> anchors = new ArrayList<>(PemFiles.readChain(caFile));
        try {
            TrustManagerFactory system = TrustManagerFactory.getInstance("PKIX");
            system.init((KeyStore) null);
            for (TrustManager tm : system.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    anchors.addAll(List.of(x.getAcceptedIssuers()));
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the JDK's CA certificates", e);
        }
        return trusting(anchors);
    }

    /** Trusts only these certificates (e.g. a test's self-signed one) and checks the host name. */
    public static ClientTls trusting(Collection<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate cert : anchors) {
                store.setCertificateEntry("anchor" + i++, cert);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(store);
            return build(tmf.getTrustManagers(), true);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store in memory", e);
        }
    }

    /** Accepts any certificate: encryption without authentication, for opportunistic TLS only. */
    public static ClientTls opportunistic() {
        return build(new TrustManager[] {new TrustAll()}, false);
    }

    private static ClientTls build(TrustManager[] trust, boolean verifyHostname) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return new ClientTls(context, verifyHostname);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    /** Layers TLS over a connected socket to {@code host} and completes the handshake (autoClose). */
    public SSLSocket wrap(Socket plain, String host, Duration handshakeTimeout) throws IOException {
        SSLParameters params = TlsPolicy.parameters(context);
        params.setUseCipherSuitesOrder(false);
        if (!IP_LITERAL.matcher(host).matches()) {
            params.setServerNames(List.of(new SNIHostName(host))); // RFC 6066 §3: no IP literals
        }
        if (verifyHostname) {
            params.setEndpointIdentificationAlgorithm("HTTPS");
        }
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        return TlsPolicy.handshake(tls, params, handshakeTimeout);
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
