package org.postwerk.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * {@link Resolver} over dnsjava: asks the configured recursive servers in turn, each attempt bounded by the
 * timeout, so one call takes at most {@code timeout × (retries + 1)}. dnsjava retries a truncated UDP answer over
 * TCP by itself (RFC 7766 §5). Follows CNAME chains (RFC 1034 §3.6.2), converts IDNs to A-labels (RFC 5890) and
 * caches through {@link DnsCache}. Thread-safe and free of monitors, so many virtual threads can call it at once.
 */
public final class DnsjavaResolver implements Resolver {
    /** RFC 1034 §3.6.2: chains should be followed, loops detected; real chains are short. */
    private static final int MAX_CNAME_HOPS = 8;

    private final List<SimpleResolver> servers;
    private final Duration timeout;
    private final int attempts;
    private final DnsCache cache;
    private final AtomicInteger rotation = new AtomicInteger();
    private final DnsMeters meters;

    /**
     * @param servers recursive resolvers to ask, in turn (attempts rotate through them)
     * @param timeout bound on one attempt (UDP plus any TCP retry)
     * @param retries further attempts after the first, each on the next server
     * @param cache   shared answer cache
     */
    public DnsjavaResolver(List<InetSocketAddress> servers, Duration timeout, int retries, DnsCache cache) {
        this(servers, timeout, retries, cache, DnsMeters.NONE);
    }

    /** The same, with {@code meters} timing the queries and counting the failures. */
    public DnsjavaResolver(List<InetSocketAddress> servers, Duration timeout, int retries, DnsCache cache,
                           DnsMeters meters) {
        this.meters = meters;
        if (servers.isEmpty() || retries < 0 || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("need servers, a positive timeout and retries >= 0");
        }
        this.servers = servers.stream().map(address -> {
            SimpleResolver r = new SimpleResolver(address);
            r.setTimeout(timeout);
            return r;
        }).toList();
        this.timeout = timeout;
        this.attempts = retries + 1;
        this.cache = cache;
    }

    /**
     * The recursive resolvers the operating system is configured with (resolv.conf and the like), for when the
     * configuration names none. Read once by dnsjava; may fall back to localhost when nothing is configured.
     */
    public static List<InetSocketAddress> systemServers() {
        return List.copyOf(ResolverConfig.getCurrentConfig().servers());
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        // RFC 7208 §3.3: the character-strings of one TXT record are joined without spaces.
        return resolve(name, Type.TXT, r -> DnsRecords.text((TXTRecord) r));
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return resolve(name, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return resolve(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) {
        return resolve(name, Type.MX, r -> DnsRecords.mx((MXRecord) r));
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return map(lookup(ReverseMap.fromAddress(address), Type.PTR), r -> DnsRecords.host(((PTRRecord) r).getTarget()));
    }

    /**
     * Records of any type by its mnemonic ({@code "SRV"}, {@code "TLSA"}), each as its presentation-format data
     * (RFC 1035 §5.1), for comparing what a zone publishes with what it should (CNAMEs followed as for any type).
     *
     * @throws IllegalArgumentException for a type dnsjava does not know
     */
    public DnsAnswer<String> records(String name, String type) {
        int t = Type.value(type);
        if (t < 0) {
            throw new IllegalArgumentException("unknown record type " + type);
        }
        return resolve(name, t, Record::rdataToString);
    }

    private <T> DnsAnswer<T> resolve(String name, int type, Function<Record, T> map) {
        // A name that cannot be written in the DNS cannot exist there.
        return DnsRecords.name(name).map(n -> map(lookup(n, type), map)).orElseGet(DnsAnswer.NxDomain::new);
    }

    private static <T> DnsAnswer<T> map(DnsAnswer<Record> answer, Function<Record, T> map) {
        return switch (answer) {
            case DnsAnswer.Found<Record> f -> new DnsAnswer.Found<>(f.records().stream().map(map).toList(), f.ttl());
            case DnsAnswer.NxDomain<Record> n -> new DnsAnswer.NxDomain<>();
            case DnsAnswer.NoData<Record> n -> new DnsAnswer.NoData<>();
            case DnsAnswer.TempError<Record> t -> new DnsAnswer.TempError<>(t.reason());
        };
    }

    /** Resolves {@code qname}/{@code type} through the cache, following CNAMEs across queries when needed. */
    private DnsAnswer<Record> lookup(Name qname, int type) {
        Optional<DnsAnswer<Record>> cached = cache.get(qname, type);
        if (cached.isPresent()) {
            return cached.get();
        }
        Name current = qname;
        Set<Name> seen = new HashSet<>();
        long chainTtl = Long.MAX_VALUE;
        for (int hop = 0; hop < MAX_CNAME_HOPS; hop++) {
            Exchange exchange = exchange(current, type);
            if (exchange.failure() != null) {
                return new DnsAnswer.TempError<>(exchange.failure());
            }
            Message response = exchange.response();
            Chain chain = Chain.walk(response, current, type, seen);
            if (chain.loop()) {
                return new DnsAnswer.TempError<>("CNAME loop at " + chain.end());
            }
            chainTtl = Math.min(chainTtl, chain.ttl());
            if (!chain.records().isEmpty()) {
                Duration ttl = Duration.ofSeconds(Math.min(chainTtl, chain.records().stream()
                        .mapToLong(Record::getTTL).min().orElseThrow()));
                cache.put(qname, type, new DnsAnswer.Found<>(chain.records(), ttl), ttl);
                return new DnsAnswer.Found<>(chain.records(), ttl);
            }
            SOARecord soa = soa(response);
            boolean nx = response.getRcode() == Rcode.NXDOMAIN;
            if (nx || soa != null || chain.end().equals(current)) {
                DnsAnswer<Record> negative = nx ? new DnsAnswer.NxDomain<>() : new DnsAnswer.NoData<>();
                if (soa != null) {
                    // RFC 2308 §5: the negative TTL is the smaller of the SOA's TTL and its MINIMUM field.
                    long ttl = Math.min(chainTtl, Math.min(soa.getTTL(), soa.getMinimum()));
                    cache.putNegative(qname, type, negative, Duration.ofSeconds(ttl));
                }
                return negative;
            }
            current = chain.end(); // the server stopped at a CNAME it does not serve: ask for the target
        }
        return new DnsAnswer.TempError<>("CNAME chain longer than " + MAX_CNAME_HOPS + " at " + qname);
    }

    private static SOARecord soa(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return soa;
            }
        }
        return null;
    }

    /** The answer section walked from the query name through CNAMEs to records of the wanted type. */
    private record Chain(List<Record> records, Name end, long ttl, boolean loop) {
        static Chain walk(Message response, Name start, int type, Set<Name> seen) {
            List<Record> answers = response.getSection(Section.ANSWER);
            Name current = start;
            long ttl = Long.MAX_VALUE;
            while (true) {
                List<Record> data = new ArrayList<>();
                CNAMERecord cname = null;
                for (Record r : answers) {
                    if (r.getName().equals(current) && r.getType() == type) {
                        data.add(r);
                    } else if (r.getName().equals(current) && r instanceof CNAMERecord c) {
                        cname = c;
                    }
                }
                if (!data.isEmpty() || cname == null) {
                    return new Chain(data, current, ttl, false);
                }
                if (!seen.add(current)) {
                    return new Chain(List.of(), current, ttl, true);
                }
                ttl = Math.min(ttl, cname.getTTL());
                current = cname.getTarget();
            }
        }
    }

    private record Exchange(Message response, String failure) {}

    /** One question, asked of each server in turn until one gives a usable answer or attempts run out. */
    private Exchange exchange(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        int start = Math.floorMod(rotation.getAndIncrement(), servers.size());
        String failure = "no attempt";
        for (int i = 0; i < attempts; i++) {
            SimpleResolver server = servers.get((start + i) % servers.size());
            long sent = System.nanoTime();
            CompletableFuture<Message> future = server.sendAsync(query).toCompletableFuture();
            try {
                Message response = future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
                int rcode = response.getRcode();
                if (rcode == Rcode.NOERROR || rcode == Rcode.NXDOMAIN) {
                    meters.answered(type, System.nanoTime() - sent);
                    return new Exchange(response, null);
                }
                // SERVFAIL, REFUSED, FORMERR...: RFC 1035 §7.2 lets us try the next server.
                meters.failed(type, DnsMeters.RCODE);
                failure = Rcode.string(rcode) + " from " + server.getAddress() + " for " + name;
            } catch (TimeoutException e) {
                future.cancel(true);
                meters.failed(type, DnsMeters.TIMEOUT);
                failure = "timeout from " + server.getAddress() + " for " + name;
            } catch (ExecutionException e) {
                meters.failed(type, DnsMeters.NETWORK);
                failure = e.getCause() + " from " + server.getAddress() + " for " + name;
            } catch (InterruptedException e) {
                future.cancel(true);
                Thread.currentThread().interrupt();
                return new Exchange(null, "interrupted");
            }
        }
        return new Exchange(null, failure);
    }
}
