package org.postwerk.sts;

import org.postwerk.tls.TlsResults;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.postwerk.dns.Resolver;
import org.postwerk.tls.ClientTls;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 §3.3) with a small HTTP/1.1 client
 * of our own rather than the JDK's: the policy host is resolved through our {@link Resolver} like every name
 * delivery uses (the JDK client would ask the system resolver), and every limit the RFC asks for is explicit
 * here. The certificate must validate for the policy host (PKIX and name); status 200 only, redirects are
 * never followed, the media type must be {@code text/plain}, the body at most 64 KiB, the whole exchange bounded
 * by one deadline.
 */
public final class PolicyFetch {
    /** RFC 8461 §3.3: senders may limit the body to 64 KiB. */
    static final int MAX_BODY = 64 * 1024;
    private static final int MAX_HEADERS = 16 * 1024;

    /** What a fetch gave: a valid policy, or the failure and its RFC 8460 result type. */
    public sealed interface Result {
        record Fetched(StsPolicy policy) implements Result {}

        record Failed(TlsResults.Failure type, String reason) implements Result {}
    }

    private final Resolver resolver;
    private final ClientTls tls;
    private final int port;
    private final Duration timeout;

    /**
     * @param tls     verifying TLS (system trust, plus extra anchors when configured)
     * @param port    443; tests give a loopback server's port
     * @param timeout the bound on one whole fetch (connection, handshake, request and body)
     */
    public PolicyFetch(Resolver resolver, ClientTls tls, int port, Duration timeout) {
        this.resolver = resolver;
        this.tls = tls;
        this.port = port;
        this.timeout = timeout;
    }

    public Result fetch(String domain) {
        String host = "mta-sts." + domain;
        List<InetAddress> addresses = new ArrayList<>(resolver.aaaa(host).recordsOrEmpty());
        addresses.addAll(resolver.a(host).recordsOrEmpty());
        if (addresses.isEmpty()) {
            return new Result.Failed(TlsResults.Failure.STS_POLICY_FETCH_ERROR, "no address for " + host);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Result last = null;
        for (InetAddress a : addresses) {
            last = fetch(host, new InetSocketAddress(a, port), deadline);
            if (!(last instanceof Result.Failed f) || f.type() != TlsResults.Failure.STS_POLICY_FETCH_ERROR
                    || System.nanoTime() >= deadline) {
                return last; // an answer, or a verdict about the server's identity: another address will not help
            }
        }
        return last;
    }

    private Result fetch(String host, InetSocketAddress address, long deadline) {
        try (Socket plain = new Socket()) {
            plain.connect(address, remainingMillis(deadline));
            try (SSLSocket s = tls.wrap(plain, host, Duration.ofMillis(remainingMillis(deadline)))) {
                OutputStream out = s.getOutputStream();
                out.write(("GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + host + (port == 443 ? "" : ":" + port)
                        + "\r\nAccept: text/plain\r\nUser-Agent: Postwerk\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return read(new Deadline(s, deadline));
            }
        } catch (SSLException e) {
            return new Result.Failed(TlsResults.Failure.STS_WEBPKI_INVALID, "TLS with " + host + ": " + e.getMessage());
        } catch (SocketTimeoutException e) {
            return new Result.Failed(TlsResults.Failure.STS_POLICY_FETCH_ERROR, "timeout fetching from " + host);
        } catch (IOException e) {
            return new Result.Failed(TlsResults.Failure.STS_POLICY_FETCH_ERROR, host + ": " + e.getMessage());
        }
    }

    private static Result read(InputStream in) throws IOException {
        String status = line(in);
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            return fetchError("not an HTTP response");
        }
        if (!parts[1].equals("200")) {
            // RFC 8461 §3.3: 200 only; "senders MUST NOT follow HTTP redirects".
            return fetchError("HTTP status " + parts[1] + (parts[1].startsWith("3") ? " (redirects are not followed)" : ""));
        }
        String type = null;
        long length = -1;
        boolean chunked = false;
        int headerBytes = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            headerBytes += h.length();
            int colon = h.indexOf(':');
            if (headerBytes > MAX_HEADERS || colon <= 0) {
                return fetchError("malformed or oversized header");
            }
            String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).strip();
            switch (name) {
                case "content-type" -> type = value;
                case "content-length" -> length = value.matches("[0-9]{1,12}") ? Long.parseLong(value) : -2;
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                default -> { }
            }
        }
        if (type == null || !type.split(";", 2)[0].strip().equalsIgnoreCase("text/plain")) {
            return new Result.Failed(TlsResults.Failure.STS_POLICY_INVALID, "media type is " + type + ", not text/plain");
        }
        if (length == -2 || length > MAX_BODY) {
            return fetchError("body length " + length + " is not at most " + MAX_BODY);
        }
        byte[] body = chunked ? HttpBodies.chunked(in, MAX_BODY) : HttpBodies.upTo(in, length, MAX_BODY);
        if (body == null) {
            return fetchError("body larger than " + MAX_BODY + " octets or cut short");
        }
        return switch (StsPolicy.parse(new String(body, StandardCharsets.UTF_8))) {
            case StsPolicy.Parsed.Valid v -> new Result.Fetched(v.policy());
            case StsPolicy.Parsed.Invalid i -> new Result.Failed(TlsResults.Failure.STS_POLICY_INVALID, i.reason());
        };
    }

    private static Result fetchError(String reason) {
        return new Result.Failed(TlsResults.Failure.STS_POLICY_FETCH_ERROR, reason);
    }

    /** One header or status line (CRLF or LF), ISO-8859-1; fails beyond the header limit. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0 || b.size() > MAX_HEADERS) {
                throw new IOException("response ended or grew too long in its header");
            }
            b.write(c);
        }
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    /** The socket's input, each read bounded by what is left of the fetch's deadline (no slow drip past it). */
    private static final class Deadline extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Deadline(Socket socket, long deadline) throws IOException {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(socket.getInputStream());
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return in.read(b, off, len);
        }
    }
}
