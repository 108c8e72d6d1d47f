package org.postwerk.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Master;
import org.xbill.DNS.NSECRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Type;

/**
 * A DNSSEC-signed zone made inside a test (RFC 4033-4035): a fresh ECDSA P-256 key (algorithm 13) used as the one
 * key-signing and zone-signing key, an NSEC chain for denial of existence, and an RRSIG over every RRset. Serve
 * its {@link #records()} with {@link TestDnsServer}, which adds the signatures and proofs to answers when the
 * query sets DO; give validators {@link #trustAnchor()}.
 */
public final class SignedZone {
    private static final long TTL = 300;

    private final Name origin;
    private final DNSKEYRecord key;
    private final List<Record> records = new ArrayList<>();

    /** Signs {@code zoneText} (names relative to {@code origin} or absolute); adds SOA, DNSKEY and NSEC records. */
    public SignedZone(String origin, String zoneText) {
        this.origin = ZoneData.name(origin);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            key = new DNSKEYRecord(this.origin, DClass.IN, TTL, 257, 3, DNSSEC.Algorithm.ECDSAP256SHA256,
                    keys.getPublic());
            Map<Name, List<Record>> byName = new TreeMap<>(); // Name orders canonically (RFC 4034 §6.1)
            List<Record> unsigned = new ArrayList<>(parse(zoneText));
            unsigned.add(new SOARecord(this.origin, DClass.IN, TTL, Name.fromString("ns", this.origin),
                    Name.fromString("hostmaster", this.origin), 1, 3600, 600, 86400, TTL));
            unsigned.add(key);
            unsigned.forEach(r -> byName.computeIfAbsent(r.getName(), n -> new ArrayList<>()).add(r));
            List<Name> names = new ArrayList<>(byName.keySet());
            for (int i = 0; i < names.size(); i++) {
                Name n = names.get(i);
                int[] types = java.util.stream.IntStream.concat(byName.get(n).stream().mapToInt(Record::getType),
                        java.util.stream.IntStream.of(Type.NSEC, Type.RRSIG)).distinct().toArray();
                byName.get(n).add(new NSECRecord(n, DClass.IN, TTL, names.get((i + 1) % names.size()), types));
            }
            Instant now = Instant.now();
            for (List<Record> atName : byName.values()) {
                Map<Integer, RRset> sets = new TreeMap<>();
                atName.forEach(r -> sets.computeIfAbsent(r.getType(), t -> new RRset()).addRR(r));
                for (RRset set : sets.values()) {
                    records.addAll(set.rrs());
                    records.add(DNSSEC.sign(set, key, keys.getPrivate(), now.minus(Duration.ofHours(1)),
                            now.plus(Duration.ofDays(2))));
                }
            }
        } catch (GeneralSecurityException | IOException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Record> parse(String text) {
        List<Record> out = new ArrayList<>();
        String withNewline = text.endsWith("\n") ? text : text + "\n";
        try (Master master = new Master(new ByteArrayInputStream(withNewline.getBytes(StandardCharsets.UTF_8)),
                origin, TTL)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                out.add(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("bad zone text: " + e.getMessage(), e);
        }
        return out;
    }

    /** Every record, signatures and NSEC chain included. */
    public List<Record> records() {
        return List.copyOf(records);
    }

    /** The zone's key as a trust anchor line in zone-file form (what a trust anchor file holds). */
    public String trustAnchor() {
        return key.toString() + "\n";
    }
}
