package org.postwerk.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** A CIDR network. Placeholder until the config package lands. */
public record Network(InetAddress address, int prefixLength) {
    public static Network parse(String cidr) {
        int slash = cidr.indexOf('/');
        try {
            InetAddress a = InetAddress.getByName(slash < 0 ? cidr : cidr.substring(0, slash));
            int bits = a instanceof Inet4Address ? 32 : 128;
            return new Network(a, slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1)));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public boolean contains(InetAddress a) {
        byte[] net = address.getAddress();
        byte[] x = a.getAddress();
        if (x.length == 16 && net.length == 4 && a instanceof Inet6Address) {
            return false;
        }
        if (x.length != net.length) {
            return false;
        }
        for (int i = 0; i < prefixLength; i++) {
            int mask = 0x80 >> (i % 8);
            if ((net[i / 8] & mask) != (x[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
