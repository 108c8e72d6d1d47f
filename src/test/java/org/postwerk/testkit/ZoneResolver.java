package org.postwerk.testkit;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.DnsRecords;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * An in-memory {@link Resolver} over the same zone text {@link TestDnsServer} serves, for fast unit tests: no
 * sockets, no cache, answers exactly as the server would (CNAME chains, NXDOMAIN vs NODATA). A name marked with
 * {@link #timeout} or {@link #serverFailure} gives {@link DnsAnswer.TempError} at once.
 */
public final class ZoneResolver implements Resolver {
    private final ZoneData zone = new ZoneData();
    private final AtomicInteger queries = new AtomicInteger();

    public ZoneResolver() {}

    public ZoneResolver(String zoneText) {
        zone.load(zoneText);
    }

    /** Adds zone-file text (one or more records, {@code $ORIGIN}/{@code $TTL} allowed). Returns this. */
    public ZoneResolver add(String zoneText) {
        zone.load(zoneText);
        return this;
    }

    /** Adds a record built in code (for data that is awkward as zone text, e.g. conformance-suite YAML). */
    public ZoneResolver add(Record record) {
        zone.add(record);
        return this;
    }

    public ZoneResolver timeout(String name) {
        zone.fail(name, ZoneData.Failure.TIMEOUT);
        return this;
    }

    /** Times out queries of one type only ({@link Type} constants), as some broken servers do. */
    public ZoneResolver timeout(String name, int type) {
        zone.fail(name, type, ZoneData.Failure.TIMEOUT);
        return this;
    }

    public ZoneResolver serverFailure(String name) {
        zone.fail(name, ZoneData.Failure.SERVFAIL);
        return this;
    }

    /** Queries answered so far, to check lookup limits and caching. */
    public int queries() {
        return queries.get();
    }

    @Override
    public DnsAnswer<String> txt(String name) {
        return query(name, Type.TXT, r -> DnsRecords.text((TXTRecord) r));
    }

    @Override
    public DnsAnswer<InetAddress> a(String name) {
        return query(name, Type.A, r -> ((ARecord) r).getAddress());
    }

    @Override
    public DnsAnswer<InetAddress> aaaa(String name) {
        return query(name, Type.AAAA, r -> ((AAAARecord) r).getAddress());
    }

    @Override
    public DnsAnswer<MxHost> mx(String name) {
        return query(name, Type.MX, r -> DnsRecords.mx((MXRecord) r));
    }

    @Override
    public DnsAnswer<String> ptr(InetAddress address) {
        return query(ReverseMap.fromAddress(address), Type.PTR, r -> DnsRecords.host(((PTRRecord) r).getTarget()));
    }

    private <T> DnsAnswer<T> query(String name, int type, Function<Record, T> map) {
        // Same name handling as DnsjavaResolver: A-labels for IDNs; a name the DNS cannot hold does not exist.
        return DnsRecords.name(name).map(n -> query(n, type, map)).orElseGet(() -> {
            queries.incrementAndGet();
            return new DnsAnswer.NxDomain<>();
        });
    }

    private <T> DnsAnswer<T> query(Name name, int type, Function<Record, T> map) {
        queries.incrementAndGet();
        ZoneData.Lookup lookup = zone.lookup(name, type);
        return switch (lookup.outcome()) {
            case TIMEOUT -> new DnsAnswer.TempError<>("timeout (simulated)");
            case SERVFAIL -> new DnsAnswer.TempError<>("SERVFAIL (simulated)");
            case NXDOMAIN -> new DnsAnswer.NxDomain<>();
            case NODATA -> new DnsAnswer.NoData<>();
            case FOUND -> found(lookup.answers(), type, map);
        };
    }

    private static <T> DnsAnswer<T> found(List<Record> answers, int type, Function<Record, T> map) {
        List<Record> typed = answers.stream().filter(r -> r.getType() == type).toList();
        if (typed.isEmpty()) {
            return new DnsAnswer.TempError<>("CNAME loop"); // a chain that never ends in data
        }
        long ttl = answers.stream().mapToLong(Record::getTTL).min().orElse(0);
        return new DnsAnswer.Found<>(typed.stream().map(map).toList(), Duration.ofSeconds(ttl));
    }
}
