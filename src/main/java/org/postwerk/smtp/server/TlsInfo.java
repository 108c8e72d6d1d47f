package org.postwerk.smtp.server;

import javax.net.ssl.SSLSocket;

/** The negotiated TLS session, for Received headers and logs. */
record TlsInfo(String protocol, String cipher) {
    static TlsInfo of(SSLSocket socket) {
        return new TlsInfo(socket.getSession().getProtocol(), socket.getSession().getCipherSuite());
    }
}
