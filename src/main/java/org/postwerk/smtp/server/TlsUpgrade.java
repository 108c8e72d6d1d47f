package org.postwerk.smtp.server;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLSocket;

/** Turns a connected plain socket into a server-side TLS socket with the handshake done. */
@FunctionalInterface
public interface TlsUpgrade {
    SSLSocket wrap(Socket plain) throws IOException;
}
