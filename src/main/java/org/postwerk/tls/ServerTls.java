package org.postwerk.tls;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Turns an accepted plain socket into a server-side TLS socket, for STARTTLS (RFC 3207) and for implicit TLS
 * on the submission port 465 (RFC 8314 §3.3) alike: the listener keeps its plain {@code ServerSocket} and
 * virtual threads, and the handshake runs on the connection's own thread.
 */
public final class ServerTls {
    /**
     * TLS 1.2 lets a client renegotiate as often as it likes, each time costing us a full handshake (TLS 1.3 has
     * no renegotiation). The JDK refuses client-initiated renegotiation only when this property is true when
     * its server handshake code first loads, once per JVM; every server socket of ours is made here, so
     * setting it as this class loads comes before the first server handshake.
     */
    static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

    static {
        System.setProperty(REJECT_RENEGOTIATION, "true");
    }

    /**
     * Handshakes in progress at once. A TLS handshake costs a few milliseconds of CPU (key exchange, signature)
     * on the carrier threads that every session shares: two hundred clients starting TLS together would put
     * two hundred of them in front of every other session's next step. The others wait here, parked, costing
     * nothing, so a plain session's turn comes after at most this many (issue 9: an AUTH flood over STARTTLS).
     */
    static final int CONCURRENT_HANDSHAKES = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

    /** The context of the moment, with its socket factory and parameters (made again when it changes). */
    private record Current(SSLContext context, SSLSocketFactory factory, SSLParameters parameters) {}

    private final java.util.function.Supplier<SSLContext> contexts;
    private final List<String> protocols;
    private volatile Current current;
    private final Duration handshakeTimeout;
    private final java.util.concurrent.Semaphore handshakes;

    /** TLS 1.3 and 1.2. @param handshakeTimeout the read timeout during the handshake (per read, not total) */
    public ServerTls(SSLContext context, Duration handshakeTimeout) {
        this(context, handshakeTimeout, TlsPolicy.PROTOCOLS);
    }

    /**
     * @param protocols a non-empty subset of {@code TLSv1.3, TLSv1.2} (the config's {@code tls.protocols})
     * @throws IllegalArgumentException for any other protocol
     */
    public ServerTls(SSLContext context, Duration handshakeTimeout, List<String> protocols) {
        this(context, handshakeTimeout, protocols, CONCURRENT_HANDSHAKES);
    }

    /** @param concurrentHandshakes how many handshakes may run at once; the others wait, up to the timeout */
    ServerTls(SSLContext context, Duration handshakeTimeout, List<String> protocols, int concurrentHandshakes) {
        this(() -> context, handshakeTimeout, protocols, concurrentHandshakes);
    }

    /**
     * With a context that may change between handshakes ({@link PemCertificate}: a certificate replaced on disk
     * is served from the next handshake on).
     */
    public ServerTls(java.util.function.Supplier<SSLContext> contexts, Duration handshakeTimeout,
                     List<String> protocols) {
        this(contexts, handshakeTimeout, protocols, CONCURRENT_HANDSHAKES);
    }

    private ServerTls(java.util.function.Supplier<SSLContext> contexts, Duration handshakeTimeout,
                      List<String> protocols, int concurrentHandshakes) {
        this.handshakes = new java.util.concurrent.Semaphore(concurrentHandshakes, true);
        this.contexts = contexts;
        this.protocols = List.copyOf(protocols);
        this.handshakeTimeout = handshakeTimeout;
        this.current = current(); // an unknown protocol fails here, at construction
    }

    private Current current() {
        SSLContext context = contexts.get();
        Current c = current;
        if (c == null || c.context() != context) {
            c = new Current(context, context.getSocketFactory(), TlsPolicy.parameters(context, protocols));
            current = c;
        }
        return c;
    }

    /** The protocols and cipher suites of our server sockets, for servers that make their own (HTTPS). */
    public SSLParameters parameters() {
        return current().parameters();
    }

    /** The context of the moment, for servers that make their own sockets (HTTPS). */
    public SSLContext context() {
        return current().context();
    }

    /**
     * Layers TLS over the connected socket in server mode and completes the handshake. Closing the returned
     * socket closes {@code plain}. The socket's read timeout is the one {@code plain} had before.
     *
     * <p>For STARTTLS the caller must drop whatever it had buffered from the plain stream after the STARTTLS
     * line: RFC 3207 §4.2 forbids acting on pipelined plaintext, and we deliberately use the
     * {@code createSocket} overload that takes no consumed bytes, so nothing read before the handshake is
     * ever treated as part of it.
     *
     * @throws IOException when the handshake fails or times out; {@code plain} is closed then
     */
    public SSLSocket wrapServer(Socket plain) throws IOException {
        SSLSocket tls;
        Current c = current();
        try {
            tls = (SSLSocket) c.factory().createSocket(plain, plain.getInetAddress().getHostAddress(),
                    plain.getPort(), true);
        } catch (IOException e) {
            plain.close();
            throw e;
        }
        tls.setUseClientMode(false);
        try {
            if (!handshakes.tryAcquire(handshakeTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                tls.close();
                throw new java.net.SocketTimeoutException("no handshake slot within " + handshakeTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            tls.close();
            throw new java.io.InterruptedIOException("interrupted while waiting for a handshake slot");
        }
        try {
            return TlsPolicy.handshake(tls, c.parameters(), handshakeTimeout);
        } finally {
            handshakes.release();
        }
    }
}
