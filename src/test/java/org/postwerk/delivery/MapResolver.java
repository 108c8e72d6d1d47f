package org.postwerk.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;

/** An in-memory resolver: MX, A and AAAA records by name; names can be made NXDOMAIN or failing. */
final class MapResolver implements Resolver {
    private final Map<String, List<MxHost>> mx = new HashMap<>();
    private final Map<String, List<InetAddress>> a = new HashMap<>();
    private final Map<String, List<InetAddress>> aaaa = new HashMap<>();
    private final Set<String> failing = new HashSet<>();
    private final Set<String> existing = new HashSet<>();

    MapResolver mx(String name, int pref, String host) {
        existing.add(name);
        mx.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(new MxHost(pref, host));
        return this;
    }

    MapResolver a(String name, String ip) {
        return addr(a, name, ip);
    }

    MapResolver aaaa(String name, String ip) {
        return addr(aaaa, name, ip);
    }

    MapResolver failing(String name) {
        failing.add(name);
        return this;
    }

    private MapResolver addr(Map<String, List<InetAddress>> m, String name, String ip) {
        existing.add(name);
        try {
            m.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(InetAddress.getByName(ip));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    private <T> DnsAnswer<T> answer(String name, Map<String, List<T>> m) {
        if (failing.contains(name)) {
            return new DnsAnswer.TempError<>("SERVFAIL (test)");
        }
        if (!existing.contains(name)) {
            return new DnsAnswer.NxDomain<>();
        }
        List<T> r = m.get(name);
        return r == null ? new DnsAnswer.NoData<>() : new DnsAnswer.Found<>(r, Duration.ofMinutes(5));
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        return answer(name, Map.of());
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return answer(name, a);
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return answer(name, aaaa);
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) {
        return answer(name, mx);
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return new DnsAnswer.NxDomain<>();
    }
}
