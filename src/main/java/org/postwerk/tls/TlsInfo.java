package org.postwerk.tls;

import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * What a TLS handshake negotiated, for the Received header and the mail log.
 *
 * @param protocol e.g. {@code TLSv1.3}
 * @param cipherSuite e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param clientSubject the subject of a client certificate, when the client sent one
 */
public record TlsInfo(String protocol, String cipherSuite, Optional<String> clientSubject) {
    /** The session of a socket whose handshake has completed. */
    public static TlsInfo of(SSLSocket socket) {
        SSLSession session = socket.getSession();
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), peer(session));
    }

    private static Optional<String> peer(SSLSession session) {
        try {
            return Optional.of(session.getPeerPrincipal().getName());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /**
     * The clause for a Received header comment, in the form most servers use, e.g.
     * {@code using TLSv1.3 with cipher TLS_AES_128_GCM_SHA256} (RFC 5321 §4.4 leaves comments free).
     */
    public String receivedClause() {
        return "using " + protocol + " with cipher " + cipherSuite;
    }
}
