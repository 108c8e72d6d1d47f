package org.postwerk.cli;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;

/** TXT records given on the command line, and nothing else: for checks that must not touch DNS. */
final class TxtResolver implements Resolver {
    private final Map<String, String> records = new TreeMap<>();

    TxtResolver(Map<String, String> records) {
        records.forEach((name, text) -> this.records.put(normal(name), text));
    }

    private static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        String text = records.get(normal(name));
        return text == null ? new DnsAnswer.NxDomain<>() : new DnsAnswer.Found<>(List.of(text), Duration.ZERO);
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return new DnsAnswer.NxDomain<>();
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return new DnsAnswer.NxDomain<>();
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) {
        return new DnsAnswer.NxDomain<>();
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return new DnsAnswer.NxDomain<>();
    }
}
