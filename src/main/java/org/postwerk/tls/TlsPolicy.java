package org.postwerk.tls;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The one protocol and cipher policy for every TLS socket we make. TLS 1.0 and 1.1 are off (RFC 8996);
 * for TLS 1.2 only ECDHE key exchange with an AEAD cipher (RFC 7525 §4.2, RFC 9325 §4.2); TLS 1.3 suites are
 * all AEAD by design (RFC 8446 §9.1).
 */
final class TlsPolicy {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** In preference order: the server picks (RFC 9325 §4.2 recommends server preference). */
    static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {}

    /** The policy as parameters for sockets of this context, keeping only suites the runtime supports. */
    static SSLParameters parameters(SSLContext context) {
        return parameters(context, PROTOCOLS);
    }

    /**
     * The same with a subset of our protocols (e.g. only TLS 1.3), most preferred first.
     *
     * @throws IllegalArgumentException for an empty list or a protocol outside {@link #PROTOCOLS}
     */
    static SSLParameters parameters(SSLContext context, List<String> protocols) {
        if (protocols.isEmpty() || !PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols must be among " + PROTOCOLS + ": " + protocols);
        }
        Set<String> supported = Set.of(context.getSupportedSSLParameters().getCipherSuites());
        SSLParameters params = new SSLParameters();
        params.setProtocols(protocols.toArray(String[]::new));
        params.setCipherSuites(CIPHER_SUITES.stream().filter(supported::contains).toArray(String[]::new));
        params.setUseCipherSuitesOrder(true);
        return params;
    }

    /**
     * Applies the parameters and runs the handshake under a read timeout, then restores the socket's previous
     * read timeout. Closes the socket (and with autoClose the plain one under it) when anything fails.
     */
    static SSLSocket handshake(SSLSocket tls, SSLParameters params, Duration timeout) throws IOException {
        try {
            int readTimeout = tls.getSoTimeout();
            tls.setSSLParameters(params);
            tls.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            tls.startHandshake();
            tls.setSoTimeout(readTimeout);
            return tls;
        } catch (IOException | RuntimeException e) {
            tls.close();
            throw e;
        }
    }
}
