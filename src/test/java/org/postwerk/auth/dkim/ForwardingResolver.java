package org.postwerk.auth.dkim;

import java.net.InetAddress;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;

/** A resolver that passes every query on; tests override a method to watch or change one kind of query. */
class ForwardingResolver implements Resolver {
    private final Resolver next;

    ForwardingResolver(Resolver next) {
        this.next = next;
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        return next.txt(name);
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return next.a(name);
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return next.aaaa(name);
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) {
        return next.mx(name);
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return next.ptr(address);
    }
}
