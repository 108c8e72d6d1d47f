package org.postwerk.delivery;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;
import org.postwerk.smtp.Reply;

/**
 * Where to connect for a domain: the override if one is configured, else the MX hosts in preference order,
 * random among equal preference, or the domain itself when it has no MX (RFC 5321 §5.1). A null MX
 * (RFC 7505) or a domain that does not exist is a permanent failure; a DNS failure a temporary one.
 */
final class Targets {
    /** The plan: hosts to try in order, or an outcome that applies to every recipient. */
    sealed interface Plan {
        record Hosts(List<String> names, RouteSettings route) implements Plan {}

        record Stop(Outcome outcome) implements Plan {}
    }

    static final Reply NULL_MX = Reply.of(556, 5, 1, 10, "Recipient domain does not accept mail (null MX)");
    static final Reply NO_DOMAIN = Reply.of(550, 5, 1, 2, "Recipient domain does not exist");
    static final Reply DNS_TEMP = Reply.of(451, 4, 4, 3, "DNS lookup failed, will retry");

    private final Resolver resolver;
    private final Map<String, RouteSettings> overrides;
    private final RandomGenerator random;

    Targets(Resolver resolver, List<RouteSettings> overrides, RandomGenerator random) {
        this.resolver = resolver;
        this.overrides = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        overrides.forEach(o -> this.overrides.put(o.domain(), o));
        this.random = random;
    }

    Optional<RouteSettings> override(String domain) {
        return Optional.ofNullable(overrides.getOrDefault(domain, overrides.get("*")));
    }

    Plan plan(String domain) {
        Optional<RouteSettings> o = override(domain);
        if (o.isPresent()) {
            return new Plan.Hosts(List.of(o.get().host()), o.get());
        }
        return switch (resolver.mx(domain)) {
            case DnsAnswer.Found<MxHost> f -> fromMx(f.records());
            case DnsAnswer.NoData<MxHost> n -> implicitMx(domain);
            case DnsAnswer.NxDomain<MxHost> n -> new Plan.Stop(new Outcome.Failed(Outcome.ours(NO_DOMAIN), null));
            case DnsAnswer.TempError<MxHost> t -> new Plan.Stop(new Outcome.Deferred(Outcome.ours(
                    DNS_TEMP.withText("DNS lookup of MX for " + domain + " failed: " + t.reason())), null));
        };
    }

    /** RFC 5321 §5.1: no MX records, so the domain's own address records act as an implicit MX. */
    private Plan implicitMx(String domain) {
        return new Plan.Hosts(List.of(domain), null);
    }

    private Plan fromMx(List<MxHost> records) {
        // RFC 7505 §3: a single MX with an empty exchange (".") means the domain accepts no mail.
        if (records.stream().anyMatch(r -> r.host().isEmpty() || r.host().equals("."))) {
            return new Plan.Stop(new Outcome.Failed(Outcome.ours(NULL_MX), null));
        }
        List<MxHost> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, random);
        shuffled.sort(Comparator.comparingInt(MxHost::preference)); // stable: random order among equals stays
        return new Plan.Hosts(shuffled.stream().map(MxHost::host).distinct().toList(), null);
    }

    /** The addresses of one host: AAAA then A; a literal IP stands for itself. Empty on failure. */
    Lookup addresses(String host) {
        if (host.matches("[0-9.]+") || host.contains(":")) {
            try {
                // a literal: getByName parses it without any DNS query
                return new Lookup(List.of(InetAddress.getByName(host)), null, false);
            } catch (java.net.UnknownHostException e) {
                return new Lookup(List.of(), "bad address literal " + host, false);
            }
        }
        DnsAnswer<InetAddress> six = resolver.aaaa(host);
        DnsAnswer<InetAddress> four = resolver.a(host);
        List<InetAddress> all = new ArrayList<>(six.recordsOrEmpty());
        all.addAll(four.recordsOrEmpty());
        String temp = six instanceof DnsAnswer.TempError<InetAddress> t ? t.reason()
                : four instanceof DnsAnswer.TempError<InetAddress> t2 ? t2.reason() : null;
        return new Lookup(all, all.isEmpty() ? (temp != null ? temp : "no address for " + host) : null, temp != null);
    }

    /** Addresses found, or why none were and whether asking again later might help. */
    record Lookup(List<InetAddress> addresses, String problem, boolean temporary) {}
}
