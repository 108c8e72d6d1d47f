package org.postwerk.dane;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * {@link TlsaLookup} over dnsjava, in one of the two modes of ADR 0019. Both read the DNSSEC status the same way
 * from the final answer: AD set is secure (RFC 4035 §3.2.3), SERVFAIL is bogus (a validating resolver's answer
 * to a failed validation, RFC 4035 §5.5), anything else insecure; a timeout or network failure is bogus too
 * (indeterminate, RFC 7672 §2.1.1). Not cached here: the validating resolver in front caches.
 */
public final class DnssecLookup implements TlsaLookup {
    private final Resolver resolver;
    private final Duration timeout;
    private final boolean askForAd;

    private DnssecLookup(Resolver resolver, Duration timeout, boolean askForAd) {
        this.resolver = resolver;
        this.timeout = timeout;
        this.askForAd = askForAd;
    }

    /**
     * Trusts the AD bit of {@code servers}, which the caller has checked are validating resolvers it may
     * trust (on loopback, RFC 6698 §4.1 / RFC 7672 §2.1.1: the path to them must be secure).
     */
    public static DnssecLookup resolverAd(List<InetSocketAddress> servers, Duration timeout) {
        Resolver head = head(servers, timeout);
        // RFC 6840 §5.7: set DO (and AD) to be told the validation result.
        head.setEDNS(0, 1232, ExtendedFlags.DO, List.of());
        return new DnssecLookup(head, timeout, true);
    }

    /**
     * Validates answers itself with dnsjava's validator, from the trust anchors (DS or DNSKEY records in zone-file
     * form) in {@code trustAnchors}; {@code servers} may be any recursive resolvers that pass DNSSEC records on.
     */
    public static DnssecLookup local(List<InetSocketAddress> servers, Path trustAnchors, Duration timeout)
            throws IOException {
        ValidatingResolver validator = new ValidatingResolver(head(servers, timeout));
        try (InputStream in = Files.newInputStream(trustAnchors)) {
            validator.loadTrustAnchors(in);
        }
        if (validator.getTrustAnchors().items().isEmpty()) {
            throw new IOException("no DS or DNSKEY record in " + trustAnchors);
        }
        validator.setTimeout(timeout);
        return new DnssecLookup(validator, timeout, false);
    }

    private static Resolver head(List<InetSocketAddress> servers, Duration timeout) {
        List<Resolver> each = new ArrayList<>();
        for (InetSocketAddress s : servers) {
            SimpleResolver r = new SimpleResolver(s);
            r.setTimeout(timeout);
            each.add(r);
        }
        ExtendedResolver all = new ExtendedResolver(each);
        all.setTimeout(timeout);
        all.setRetries(1);
        return all;
    }

    @Override
    public Security mx(String domain) {
        return query(domain, Type.MX).security();
    }

    @Override
    public Security addresses(String host) {
        Security four = query(host, Type.A).security();
        Security six = query(host, Type.AAAA).security();
        if (four == Security.BOGUS || six == Security.BOGUS) {
            return Security.BOGUS;
        }
        return four == Security.SECURE && six == Security.SECURE ? Security.SECURE : Security.INSECURE;
    }

    @Override
    public TlsaAnswer tlsa(String host, int port) {
        Answer a = query("_" + port + "._tcp." + host, Type.TLSA);
        return switch (a.security()) {
            case BOGUS -> new TlsaAnswer.Bogus(a.why());
            case INSECURE -> new TlsaAnswer.None("insecure TLSA answer");
            case SECURE -> {
                List<Tlsa> records = a.records().stream().filter(r -> r instanceof TLSARecord)
                        .map(r -> Tlsa.of((TLSARecord) r)).toList();
                // §2.2.3: a validated denial of existence means no DANE for this host.
                yield records.isEmpty() ? new TlsaAnswer.None("no TLSA records (validated)")
                        : new TlsaAnswer.Secure(records);
            }
        };
    }

    private record Answer(Security security, List<Record> records, String why) {}

    private Answer query(String name, int type) {
        Name qname;
        try {
            qname = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            return new Answer(Security.BOGUS, List.of(), "bad name " + name);
        }
        Message query = Message.newQuery(Record.newRecord(qname, type, DClass.IN));
        if (askForAd) {
            query.getHeader().setFlag(Flags.AD);
        }
        Message response;
        try {
            // The validator makes several queries of its own (DNSKEY, DS): bound the whole by a few timeouts.
            response = resolver.sendAsync(query).toCompletableFuture()
                    .get(timeout.toMillis() * 4, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return new Answer(Security.BOGUS, List.of(), "lookup of " + name + " " + Type.string(type)
                    + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(Security.BOGUS, List.of(), "interrupted");
        }
        int rcode = response.getRcode();
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return new Answer(Security.BOGUS, List.of(), Rcode.string(rcode) + " for " + name + " "
                    + Type.string(type) + reason(response));
        }
        List<Record> records = response.getSection(Section.ANSWER).stream()
                .filter(r -> r.getType() == type && r.getName().equals(qname)).toList();
        Security s = response.getHeader().getFlag(Flags.AD) ? Security.SECURE : Security.INSECURE;
        return new Answer(s, records, null);
    }

    /** dnsjava's validator puts its reason for a failure in a TXT record of the additional section. */
    private static String reason(Message response) {
        return response.getSection(Section.ADDITIONAL).stream()
                .filter(r -> r.getType() == Type.TXT && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS)
                .map(r -> " (" + r.rdataToString() + ")").findFirst().orElse("");
    }
}
