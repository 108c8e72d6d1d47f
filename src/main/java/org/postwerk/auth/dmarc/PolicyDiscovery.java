package org.postwerk.auth.dmarc;

import java.util.List;
import java.util.Optional;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/**
 * Finds the DMARC policy for an author domain (RFC 7489 §6.6.3): {@code _dmarc.<domain>}, then
 * {@code _dmarc.<organisational domain>}. At most two TXT queries; DNS failures become {@link TempError},
 * never an exception. Thread-safe.
 */
final class PolicyDiscovery {
    /** What the DNS says about a domain's policy. */
    sealed interface Discovery {}

    /** A usable record published at {@code policyDomain}. */
    record Found(DmarcRecord record, String policyDomain, List<String> warnings) implements Discovery {}

    /** No DMARC processing applies: no record, or more than one (§6.6.3 step 5). */
    record NoPolicy(String reason) implements Discovery {}

    /** A DNS lookup failed temporarily: the result is unknown (temperror). */
    record TempError(String reason) implements Discovery {}

    /** The one record found is a DMARC record that cannot be applied (permerror, RFC 7489 §11.2). */
    record PermError(String reason) implements Discovery {}

    private final Resolver dns;
    private final OrganizationalDomains organizational;

    PolicyDiscovery(Resolver dns, OrganizationalDomains organizational) {
        this.dns = dns;
        this.organizational = organizational;
    }

    /** @param domain the author domain in comparison form ({@link Domains#normalize}) */
    Discovery discover(String domain) {
        Optional<Discovery> atDomain = lookup(domain);
        if (atDomain.isPresent()) {
            return atDomain.get();
        }
        // §6.6.3 step 3: nothing at the author domain, so ask its organisational domain, if that differs.
        String org = organizational.of(domain);
        if (org.equals(domain)) {
            return new NoPolicy("no DMARC record for " + domain);
        }
        return lookup(org).orElseGet(() -> new NoPolicy("no DMARC record for " + domain + " or " + org));
    }

    /** One level of the search; empty when there is no DMARC record here. */
    private Optional<Discovery> lookup(String domain) {
        String name = "_dmarc." + domain;
        DnsAnswer<String> answer = dns.txt(name);
        if (answer instanceof DnsAnswer.TempError<String> t) {
            return Optional.of(new TempError("DNS lookup of " + name + " failed: " + t.reason()));
        }
        // §6.6.3 step 2: records that are not DMARC records are discarded; the rest is the candidate set.
        List<DmarcRecord.Parsed> dmarc = answer.recordsOrEmpty().stream()
                .map(DmarcRecord::parse)
                .filter(p -> !(p instanceof DmarcRecord.NotDmarc))
                .toList();
        if (dmarc.isEmpty()) {
            return Optional.empty();
        }
        if (dmarc.size() > 1) {
            return Optional.of(new NoPolicy("more than one DMARC record at " + name));
        }
        return Optional.of(switch (dmarc.get(0)) {
            case DmarcRecord.Valid v -> new Found(v.record(), domain, v.warnings());
            case DmarcRecord.Invalid i -> new PermError("DMARC record at " + name + ": " + i.reason());
            case DmarcRecord.NotDmarc n -> throw new AssertionError("filtered above");
        });
    }
}
