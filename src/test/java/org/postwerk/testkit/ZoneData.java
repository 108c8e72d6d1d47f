package org.postwerk.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The records one test serves, shared by {@link TestDnsServer} and {@link ZoneResolver} so both backends answer
 * the same zone text the same way. Behaves like one authoritative server for every name it holds: follows CNAME
 * chains inside its data (RFC 1034 §4.3.2), tells NXDOMAIN from NODATA (a name with records below it exists,
 * RFC 8020), and can be told to fail or stay silent for a name. Thread-safe.
 */
final class ZoneData {
    /** RFC 1034 §3.6.2 leaves the bound to us; resolvers give up long before this. */
    private static final int MAX_CHAIN = 16;
    private static final long DEFAULT_TTL = 300;

    /** How the server treats a name instead of answering from its records. */
    enum Failure { SERVFAIL, TIMEOUT }

    /** The result of one lookup: the CNAME chain walked, the records, and how it ended. */
    record Lookup(Outcome outcome, List<Record> answers, SOARecord soa) {}

    enum Outcome { FOUND, NXDOMAIN, NODATA, SERVFAIL, TIMEOUT }

    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    /** Keyed by name and type; {@link Type#ANY} stands for every type. */
    private final Map<FailureKey, Failure> failures = new ConcurrentHashMap<>();

    private record FailureKey(Name name, int type) {}

    /** Loads zone-file text ({@code $ORIGIN}, {@code $TTL}, relative names); default TTL 300 s. */
    void load(String zoneText) {
        try (Master master = new Master(stream(zoneText), Name.root, DEFAULT_TTL)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad zone text: " + e.getMessage(), e);
        }
    }

    void add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
    }

    void fail(String name, Failure failure) {
        fail(name, Type.ANY, failure);
    }

    void fail(String name, int type, Failure failure) {
        failures.put(new FailureKey(name(name), type), failure);
    }

    /** Absolute name from a text with or without the trailing dot. */
    static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (TextParseException e) {
            throw new IllegalArgumentException("bad DNS name: " + text, e);
        }
    }

    Lookup lookup(Name name, int type) {
        List<Record> chain = new ArrayList<>();
        Set<Name> seen = new java.util.HashSet<>();
        Name current = name;
        while (true) {
            Failure failure = failures.getOrDefault(new FailureKey(current, type),
                    failures.get(new FailureKey(current, Type.ANY)));
            if (failure != null) {
                return new Lookup(failure == Failure.SERVFAIL ? Outcome.SERVFAIL : Outcome.TIMEOUT, chain, null);
            }
            List<Record> here = records.getOrDefault(current, List.of());
            List<Record> matching = here.stream().filter(r -> r.getType() == type).toList();
            if (!matching.isEmpty()) {
                chain.addAll(matching);
                return new Lookup(Outcome.FOUND, chain, null);
            }
            CNAMERecord cname = (CNAMERecord) here.stream()
                    .filter(r -> r.getType() == Type.CNAME).findFirst().orElse(null);
            if (cname == null || !seen.add(current) || chain.size() >= MAX_CHAIN) {
                Outcome end = here.isEmpty() && !hasDescendant(current) ? Outcome.NXDOMAIN : Outcome.NODATA;
                // A CNAME loop is answered with the chain so far, as real servers do; the resolver stops it.
                return new Lookup(cname != null ? Outcome.FOUND : end, chain, cname != null ? null : soaFor(current));
            }
            chain.add(cname);
            current = cname.getTarget();
        }
    }

    /** The RRSIG records that cover the RRsets among {@code answers} (for DNSSEC-aware answers). */
    List<Record> signatures(List<Record> answers) {
        List<Record> out = new ArrayList<>();
        answers.stream().map(r -> new FailureKey(r.getName(), r.getType())).distinct().forEach(set ->
                records.getOrDefault(set.name(), List.of()).stream()
                        .filter(r -> r instanceof RRSIGRecord sig && sig.getTypeCovered() == set.type())
                        .forEach(out::add));
        return out;
    }

    /**
     * The NSEC records that prove a negative answer (RFC 4035 §3.1.3): for NODATA the NSEC at the name; for
     * NXDOMAIN the NSEC that covers the name and the one that covers the wildcard at its closest encloser.
     */
    List<Record> denial(Name qname, boolean nxdomain) {
        List<NSECRecord> chain = records.values().stream().flatMap(List::stream)
                .filter(r -> r instanceof NSECRecord).map(r -> (NSECRecord) r).toList();
        if (!nxdomain) {
            return chain.stream().filter(n -> n.getName().equals(qname)).map(n -> (Record) n).toList();
        }
        Name encloser = qname;
        while (encloser.labels() > 1 && !records.containsKey(encloser)) {
            encloser = new Name(encloser, 1);
        }
        Name wildcard = name("*." + encloser);
        List<Record> out = new ArrayList<>();
        for (Name covered : List.of(qname, wildcard)) {
            chain.stream().filter(n -> covers(n, covered)).findFirst().filter(n -> !out.contains(n)).ifPresent(out::add);
        }
        return out;
    }

    private static boolean covers(NSECRecord nsec, Name name) {
        Name owner = nsec.getName();
        Name next = nsec.getNext();
        boolean last = next.compareTo(owner) <= 0; // the chain wraps to the apex
        return owner.compareTo(name) < 0 && (last || name.compareTo(next) < 0);
    }

    private boolean hasDescendant(Name name) {
        return records.keySet().stream().anyMatch(n -> !n.equals(name) && n.subdomain(name));
    }

    /** The SOA of the closest enclosing zone we hold, for negative-answer TTLs (RFC 2308 §3). */
    private SOARecord soaFor(Name name) {
        for (int labels = name.labels(); labels > 0; labels--) {
            Name zone = new Name(name, name.labels() - labels);
            for (Record r : records.getOrDefault(zone, List.of())) {
                if (r instanceof SOARecord soa) {
                    return soa;
                }
            }
        }
        return null;
    }

    private static ByteArrayInputStream stream(String text) {
        String withNewline = text.endsWith("\n") ? text : text + "\n";
        return new ByteArrayInputStream(withNewline.getBytes(StandardCharsets.UTF_8));
    }
}
