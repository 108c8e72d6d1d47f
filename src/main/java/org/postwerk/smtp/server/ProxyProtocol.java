package org.postwerk.smtp.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.postwerk.config.Network;

/**
 * The HAProxy PROXY protocol, versions 1 (text) and 2 (binary), read before the greeting on listeners
 * configured for it, so the real client address is used behind a load balancer. Only peers in the
 * listener's {@code proxy_trusted} networks may send one (anyone else could claim an address in the relay
 * networks); a missing or malformed header closes the connection. The header is read byte-exactly from the raw stream, so nothing that follows it
 * (an implicit-TLS ClientHello in the same segment) is consumed.
 */
final class ProxyProtocol {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    /** v1 spec: at most 107 octets including CRLF. */
    private static final int V1_MAX = 107;

    static final class BadHeader extends IOException {
        BadHeader(String message) {
            super(message);
        }
    }

    /** A load balancer sends its header at once; a client that does not is not one. */
    private static final long TIMEOUT_MS = 10_000;

    private ProxyProtocol() {}

    /**
     * The header from {@code socket}'s peer, which must be in {@code trusted}, within 10 s (or {@code timeoutMs}
     * if shorter); returns the client address it announces.
     */
    static InetSocketAddress read(Socket socket, List<Network> trusted, long timeoutMs) throws IOException {
        InetSocketAddress peer = (InetSocketAddress) socket.getRemoteSocketAddress();
        if (trusted.stream().noneMatch(n -> n.contains(peer.getAddress()))) {
            throw new BadHeader("PROXY header from untrusted peer " + peer.getAddress().getHostAddress());
        }
        socket.setSoTimeout((int) Math.min(TIMEOUT_MS, timeoutMs));
        return read(socket.getInputStream(), peer);
    }

    /** Reads the header and returns the client address it announces (or {@code peer} for LOCAL/UNKNOWN). */
    static InetSocketAddress read(InputStream in, InetSocketAddress peer) throws IOException {
        int first = in.read();
        if (first == 'P') {
            return v1(in, peer);
        }
        if (first == 0x0D) {
            return v2(in, peer);
        }
        throw new BadHeader("no PROXY header");
    }

    private static InetSocketAddress v1(InputStream in, InetSocketAddress peer) throws IOException {
        StringBuilder line = new StringBuilder("P");
        while (true) {
            int c = in.read();
            if (c < 0 || line.length() >= V1_MAX) {
                throw new BadHeader("bad PROXY v1 line");
            }
            if (c == '\n') {
                break;
            }
            line.append((char) c);
        }
        if (line.charAt(line.length() - 1) != '\r') {
            throw new BadHeader("bad PROXY v1 line");
        }
        String[] f = line.substring(0, line.length() - 1).split(" ");
        if (!f[0].equals("PROXY") || f.length < 2) {
            throw new BadHeader("bad PROXY v1 line");
        }
        if (f[1].equals("UNKNOWN")) {
            return peer;
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new BadHeader("bad PROXY v1 line");
        }
        InetAddress source = literal(f[2], f[1].equals("TCP4") ? 4 : 16);
        return new InetSocketAddress(source, port(f[4]));
    }

    private static InetAddress literal(String text, int length) throws BadHeader {
        boolean v4 = length == 4;
        if (v4 ? !text.matches("\\d{1,3}(\\.\\d{1,3}){3}") : !text.matches("[0-9A-Fa-f:.]+") || !text.contains(":")) {
            throw new BadHeader("bad address in PROXY header"); // checked first: never a DNS lookup
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (a.getAddress().length != length) {
                throw new BadHeader("address family mismatch in PROXY header");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new BadHeader("bad address in PROXY header");
        }
    }

    private static int port(String text) throws BadHeader {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) {
                throw new BadHeader("bad port in PROXY header");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new BadHeader("bad port in PROXY header");
        }
    }

    private static InetSocketAddress v2(InputStream in, InetSocketAddress peer) throws IOException {
        byte[] head = new byte[16];
        head[0] = 0x0D;
        exactly(in, head, 1, 15);
        if (!Arrays.equals(head, 0, 12, V2_SIGNATURE, 0, 12)) {
            throw new BadHeader("bad PROXY v2 signature");
        }
        int versionCommand = head[12] & 0xff;
        int family = head[13] & 0xff;
        int length = ((head[14] & 0xff) << 8) | (head[15] & 0xff);
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0f) > 1 || length > 1024) {
            throw new BadHeader("unsupported PROXY v2 header");
        }
        byte[] block = new byte[length];
        exactly(in, block, 0, length);
        ByteBuffer body = ByteBuffer.wrap(block);
        if ((versionCommand & 0x0f) == 0) { // LOCAL: a health check from the proxy itself
            return peer;
        }
        int addressLength = switch (family >> 4) {
            case 1 -> 4;
            case 2 -> 16;
            default -> 0; // UNSPEC or UNIX: keep the peer address
        };
        if (addressLength == 0 || (family & 0x0f) != 1) { // not TCP (STREAM): keep the peer address
            return peer;
        }
        if (length < 2 * addressLength + 4) {
            throw new BadHeader("short PROXY v2 address block");
        }
        byte[] source = new byte[addressLength];
        body.get(source);
        body.position(2 * addressLength);
        int sourcePort = body.getShort() & 0xffff;
        return new InetSocketAddress(InetAddress.getByAddress(source), sourcePort);
    }

    private static void exactly(InputStream in, byte[] b, int off, int n) throws IOException {
        if (in.readNBytes(b, off, n) != n) {
            throw new BadHeader("short PROXY v2 header");
        }
    }
}
