package org.postwerk.sts;

import org.postwerk.tls.TlsResults;
import java.net.IDN;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policy in force for a destination domain (RFC 8461 §3 and §5.1): the {@code _mta-sts} TXT record
 * is asked each time (the DNS cache makes that cheap); the policy is fetched again only when the record's id
 * differs from the cached one or the cached policy's max_age has passed. When the record cannot be had or the
 * fetch fails, a cached policy still within its max_age applies (§3.3, §5.1); without one there is no policy.
 */
public final class Policies {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.sts");

    private final Resolver resolver;
    private final PolicyFetch fetch;
    private final PolicyCache cache;
    private final InstantSource clock;
    private final TlsResults results;

    /**
     * @param dir        where fetched policies are kept across restarts ({@code data/mta-sts}); null: memory only
     * @param maxEntries how many domains' policies are kept
     */
    public Policies(Resolver resolver, PolicyFetch fetch, Path dir, int maxEntries, InstantSource clock,
                    TlsResults results) {
        this.resolver = resolver;
        this.fetch = fetch;
        this.cache = new PolicyCache(dir, maxEntries);
        this.clock = clock;
        this.results = results;
        cache.load(clock.instant());
    }

    /** The policy to apply to mail for {@code domain}; empty when there is none or its mode is {@code none}. */
    public Optional<StsPolicy> policy(String domain) {
        Optional<String> name = dnsName(domain);
        if (name.isEmpty()) {
            return Optional.empty(); // an address literal or a name that is not in the DNS: nothing to discover
        }
        return current(name.get()).filter(p -> p.mode() != StsPolicy.Mode.NONE);
    }

    private Optional<StsPolicy> current(String domain) {
        Optional<PolicyCache.Entry> cached = cache.get(domain, clock.instant());
        Optional<StsRecord> record = switch (resolver.txt("_mta-sts." + domain)) {
            case DnsAnswer.Found<String> f -> StsRecord.discover(f.records());
            case DnsAnswer.TempError<String> t -> {
                LOG.debug("event=mta-sts-txt domain={} reason=\"{}\"", domain, t.reason());
                yield Optional.empty();
            }
            default -> Optional.empty();
        };
        if (record.isEmpty()) {
            // §5.1: a record that is gone or unreadable does not end a cached policy before its max_age.
            return cached.map(PolicyCache.Entry::policy);
        }
        String id = record.get().id();
        if (cached.isPresent() && cached.get().id().equals(id)) {
            return Optional.of(cached.get().policy());
        }
        return switch (fetch.fetch(domain)) {
            case PolicyFetch.Result.Fetched f -> {
                cache.put(domain, new PolicyCache.Entry(id, f.policy(), clock.instant()));
                LOG.info("event=mta-sts-policy domain={} id={} mode={} max_age={}", domain, id,
                        f.policy().mode().text(), f.policy().maxAge().toSeconds());
                yield Optional.of(f.policy());
            }
            case PolicyFetch.Result.Failed x -> {
                LOG.warn("event=mta-sts-fetch-failed domain={} id={} type={} reason=\"{}\" cached={}", domain, id,
                        x.type().code(), x.reason(), cached.map(c -> c.policy().mode().text()).orElse("none"));
                results.failure(domain, TlsResults.Policy.NONE, null, null, x.type(), x.reason());
                yield cached.map(PolicyCache.Entry::policy);
            }
        };
    }

    /** The domain as an A-label name safe for a file name, or empty (address literals, odd characters). */
    static Optional<String> dnsName(String domain) {
        try {
            String d = IDN.toASCII(domain.toLowerCase(Locale.ROOT), IDN.ALLOW_UNASSIGNED);
            d = d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
            return PolicyCache.FILE_SAFE.matcher(d).matches() && d.contains(".") ? Optional.of(d) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
