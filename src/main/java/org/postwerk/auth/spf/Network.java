package org.postwerk.auth.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An address prefix: IPv4 (4 bytes) or IPv6 (16 bytes). An IPv4 client never matches an IPv6 network and the
 * other way round; IPv4-mapped IPv6 clients count as IPv4 (RFC 7208 §5, §5.6).
 */
public record Network(byte[] address, int prefix) {
    public Network {
        address = address.clone();
        if (address.length != 4 && address.length != 16 || prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException("bad network " + Arrays.toString(address) + "/" + prefix);
        }
    }

    @Override
    public byte[] address() {
        return address.clone();
    }

    /** Whether {@code client} lies within this network. */
    public boolean contains(InetAddress client) {
        byte[] c = clientBytes(client);
        if (c.length != address.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (c[i] != address[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        int mask = (0xff << (8 - rest)) & 0xff;
        return rest == 0 || (c[full] & mask) == (address[full] & mask);
    }

    /** The client address in the family SPF checks it as: 4 bytes for IPv4 and IPv4-mapped IPv6. */
    static byte[] clientBytes(InetAddress client) {
        byte[] b = client.getAddress();
        if (client instanceof Inet6Address && isMapped(b)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        return b;
    }

    /** True for an IPv4 client (including IPv4-mapped IPv6). */
    static boolean isIpv4(InetAddress client) {
        return client instanceof Inet4Address || clientBytes(client).length == 4;
    }

    /** %{i} (RFC 7208 §7.3): dotted decimal for IPv4, dot-separated nibbles for IPv6. */
    static String macroForm(InetAddress client) {
        byte[] b = clientBytes(client);
        if (b.length == 4) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
        }
        return String.join(".", HexFormat.of().formatHex(b).split(""));
    }

    /** %{c} and header text: dotted decimal, or the RFC 5952 compressed IPv6 form. */
    static String text(InetAddress client) {
        byte[] b = clientBytes(client);
        if (b.length == 4) {
            return macroForm(client);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not compressed
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(i == 0 ? "::" : ":");
                i += bestLength - 1;
                continue;
            }
            out.append(Integer.toHexString(groups[i])).append(i < 7 ? ":" : "");
        }
        return out.toString();
    }

    private static boolean isMapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Network n && n.prefix == prefix && Arrays.equals(n.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefix;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(address) + "/" + prefix;
    }
}
