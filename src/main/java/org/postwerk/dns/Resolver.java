package org.postwerk.dns;

import java.net.InetAddress;

/**
 * The DNS queries Postwerk makes. One implementation talks to real servers through dnsjava (with a cache);
 * tests point it at an in-process DNS server on loopback. Names are given without the trailing dot.
 * Every call is bounded in time and never throws for DNS failures: they are {@link DnsAnswer.TempError}.
 */
public interface Resolver {
    /** TXT records, each as the concatenation of its character-strings (RFC 7208 §3.3). */
    DnsAnswer<String> txt(String name);

    DnsAnswer<InetAddress> a(String name);

    DnsAnswer<InetAddress> aaaa(String name);

    DnsAnswer<MxHost> mx(String name);

    /** PTR names for an address (reverse lookup), without trailing dots. */
    DnsAnswer<String> ptr(InetAddress address);
}
