package org.postwerk.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR form. {@link #contains} treats an IPv4-mapped IPv6 address
 * ({@code ::ffff:192.0.2.1}, what a dual-stack socket may report) as the IPv4 address it carries.
 */
public record Network(InetAddress address, int prefixLength) {
    public Network {
        Objects.requireNonNull(address);
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length must be 0-" + bits + ", got " + prefixLength);
        }
    }

    /**
     * Parses {@code "127.0.0.0/8"}, {@code "::1/128"} or a bare address ({@code "192.0.2.7"} = /32). Only
     * literals, never a name lookup. Rejects host bits beyond the prefix, since {@code 10.0.0.1/8} is usually a
     * typo for a single host or for {@code 10.0.0.0/8}, and the two mean very different things.
     *
     * @throws IllegalArgumentException with a message fit for the operator
     */
    public static Network parse(String cidr) {
        String text = cidr.strip();
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = Addresses.literal(addressText)
                .orElseThrow(() -> new IllegalArgumentException("not an IP network: \"" + cidr + "\""));
        int bits = address.getAddress().length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String prefixText = text.substring(slash + 1);
            if (!prefixText.matches("[0-9]{1,3}")) {
                throw new IllegalArgumentException("not an IP network: \"" + cidr + "\"");
            }
            prefix = Integer.parseInt(prefixText);
            // An IPv4-mapped IPv6 literal was turned into IPv4 by the parser: move its prefix along with it.
            if (address instanceof Inet4Address && addressText.contains(":")) {
                prefix -= 96;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("prefix length must be 0-" + bits + " in \"" + cidr + "\"");
            }
        }
        Network network = new Network(address, prefix);
        Network masked = new Network(mask(address.getAddress(), prefix), prefix);
        if (!masked.equals(network)) {
            throw new IllegalArgumentException("\"" + cidr + "\" has host bits set beyond /" + prefix
                    + "; write " + masked + " for the network or " + Addresses.text(address) + " for one host");
        }
        return network;
    }

    /**
     * The network of {@code ipv4Prefix} or {@code ipv6Prefix} bits, by the address's family, that holds {@code a}
     * (an IPv4-mapped IPv6 address counts as its IPv4 address).
     */
    public static Network containing(InetAddress a, int ipv4Prefix, int ipv6Prefix) {
        byte[] bytes = a.getAddress();
        if (bytes.length == 16 && isMapped(bytes)) {
            bytes = Arrays.copyOfRange(bytes, 12, 16);
        }
        int prefix = bytes.length == 4 ? ipv4Prefix : ipv6Prefix;
        return new Network(mask(bytes, prefix), prefix);
    }

    /** True when {@code a} lies in this network (an IPv4-mapped IPv6 address counts as its IPv4 address). */
    public boolean contains(InetAddress a) {
        byte[] mine = address.getAddress();
        byte[] theirs = a.getAddress();
        if (theirs.length == 16 && isMapped(theirs)) {
            theirs = Arrays.copyOfRange(theirs, 12, 16);
        }
        // An IPv4 address is never inside an IPv6 network: "::/0" must not open relaying to all of IPv4.
        if (theirs.length != mine.length) {
            return false;
        }
        return Arrays.equals(mask(theirs, prefixLength).getAddress(), mine);
    }

    /** True when {@code a} lies in any of {@code networks}. */
    public static boolean anyContains(java.util.List<Network> networks, InetAddress a) {
        for (Network n : networks) {
            if (n.contains(a)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return Addresses.text(address) + "/" + prefixLength;
    }

    private static boolean isMapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    private static InetAddress mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] = (byte) (out[i] & (0xff00 >> keep));
        }
        return Addresses.fromBytes(out);
    }
}
