package org.postwerk.dane;

/**
 * The DNSSEC-aware questions DANE asks (RFC 7672 §2.2), apart from {@link org.postwerk.dns.Resolver}: that one
 * answers every other part of Postwerk and needs no DNSSEC status. Names without the trailing dot.
 */
public interface TlsaLookup {
    /** §2.2.1: whether the domain's MX RRset (or its validated absence) is secure. */
    Security mx(String domain);

    /** §2.2.2: whether the host's address records are secure (bogus if either A or AAAA is). */
    Security addresses(String host);

    /** §2.2.3: the TLSA records at {@code _25._tcp.HOST} (the port given), with their status. */
    TlsaAnswer tlsa(String host, int port);
}
