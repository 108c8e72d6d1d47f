package org.postwerk.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Address;

/** IP literals and {@code host:port} forms in the configuration. Never resolves a name. */
public final class Addresses {
    private Addresses() {}

    /** An IPv4 or IPv6 literal (IPv6 optionally in brackets), or empty when {@code text} is anything else. */
    public static Optional<InetAddress> literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        byte[] bytes = Address.toByteArray(t, Address.IPv4);
        if (bytes == null) {
            bytes = Address.toByteArray(t, Address.IPv6);
        }
        return bytes == null ? Optional.empty() : Optional.of(fromBytes(bytes));
    }

    /** Bytes to an address without any lookup; IPv4-mapped IPv6 bytes become the IPv4 address. */
    static InetAddress fromBytes(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + bytes.length, e);
        }
    }

    /**
     * {@code "192.0.2.1:53"}, {@code "[::1]:5353"}, or an address alone ({@code "192.0.2.1"}, {@code "::1"})
     * with {@code defaultPort}.
     *
     * @throws IllegalArgumentException with a message fit for the operator
     */
    static InetSocketAddress socket(String text, int defaultPort) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close > 0 && close + 1 < text.length() && text.charAt(close + 1) == ':') {
                port = text.substring(close + 2);
                host = text.substring(0, close + 1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            port = text.substring(text.indexOf(':') + 1);
            host = text.substring(0, text.indexOf(':'));
        }
        InetAddress address = literal(host).orElseThrow(() -> new IllegalArgumentException(
                "not an IP address with optional port: \"" + text + "\" (write 192.0.2.1:53 or [2001:db8::1]:53)"));
        return new InetSocketAddress(address, port == null ? defaultPort : port(port, text));
    }

    private static int port(String port, String text) {
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 in \"" + text + "\"");
        }
        return Integer.parseInt(port);
    }

    /** {@code 192.0.2.1:25} or {@code [2001:db8::1]:25}, for messages and summaries. */
    public static String format(InetSocketAddress a) {
        String host = text(a.getAddress());
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The address in its canonical text form: RFC 5952 for IPv6 ({@code ::1}, not {@code 0:0:0:0:0:0:0:1}). */
    public static String text(InetAddress a) {
        if (!(a instanceof Inet6Address)) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first such run on a tie.
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }
}
