package org.postwerk.auth.dmarc;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/**
 * Evaluates DMARC for one message (RFC 7489 §6.6): discovers the policy, checks identifier alignment of the
 * SPF and DKIM results with the author domain (§3.1), and picks the policy to apply ({@code p}/{@code sp}/
 * {@code np}, sampled by {@code pct}). Never throws for DNS trouble: that is temperror. Thread-safe.
 */
public final class DmarcVerifier {
    private final Resolver dns;
    private final OrganizationalDomains organizational;
    private final PolicyDiscovery discovery;

    /**
     * @param dns            the shared resolver
     * @param organizational the Public Suffix List in use
     */
    public DmarcVerifier(Resolver dns, OrganizationalDomains organizational) {
        this.dns = dns;
        this.organizational = organizational;
        this.discovery = new PolicyDiscovery(dns, organizational);
    }

    /**
     * The {@code pct} draw of a message, 0..99: the first 64 bits of SHA-256 of its key, modulo 100. A hash and
     * not a random number, so a message retried after a temporary failure meets the same verdict every time
     * and on every server (ADR 0006); over many messages the draws are uniform, so {@code pct} percent of them
     * fall below {@code pct}.
     */
    static int draw(String messageKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(messageKey.getBytes(StandardCharsets.UTF_8));
            return (int) Long.remainderUnsigned(ByteBuffer.wrap(hash).getLong(), 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public DmarcResult check(DmarcInput input) {
        String from = Domains.normalize(input.fromDomain());
        if (from.isEmpty()) {
            return DmarcResult.unusableFrom("no author domain");
        }
        return switch (discovery.discover(from)) {
            case PolicyDiscovery.TempError t -> DmarcResult.unevaluated(DmarcResult.Result.TEMPERROR, from, t.reason());
            case PolicyDiscovery.PermError p -> DmarcResult.unevaluated(DmarcResult.Result.PERMERROR, from, p.reason());
            case PolicyDiscovery.NoPolicy n -> DmarcResult.unevaluated(DmarcResult.Result.NONE, from, n.reason());
            case PolicyDiscovery.Found f -> evaluate(input, from, f);
        };
    }

    private DmarcResult evaluate(DmarcInput input, String from, PolicyDiscovery.Found found) {
        DmarcRecord record = found.record();
        boolean spf = input.spf()
                .filter(s -> s.result() == SpfOutcome.Result.PASS)
                .filter(s -> aligned(from, s.domain(), record.aspf()))
                .isPresent();
        boolean dkim = input.dkim().stream()
                .anyMatch(d -> d.result() == DkimOutcome.Result.PASS && aligned(from, d.domain(), record.adkim()));
        Policy requested = requestedPolicy(from, found);
        boolean pass = spf || dkim;
        // §6.3 pct: a failing message outside the sample gets the next weaker policy; 100 needs no draw.
        boolean sampledOut = !pass && record.pct() < 100 && draw(input.messageKey()) >= record.pct();
        Policy applied = pass ? Policy.NONE : sampledOut ? requested.weaker() : requested;
        return new DmarcResult(pass ? DmarcResult.Result.PASS : DmarcResult.Result.FAIL, from,
                Optional.of(found.policyDomain()), Optional.of(record), Optional.of(requested), applied,
                sampledOut, spf, dkim, Optional.empty());
    }

    /** §3.1.1/§3.1.2: strict needs the same name; relaxed the same organisational domain. */
    private boolean aligned(String from, String authenticated, Alignment mode) {
        String other = Domains.normalize(authenticated);
        return mode == Alignment.STRICT ? from.equals(other)
                : organizational.of(from).equals(organizational.of(other));
    }

    /**
     * {@code p} when the record is the author domain's own; for a subdomain that relied on its organisational
     * domain's record, {@code sp}, or {@code np} when the subdomain does not exist (RFC 9091 §4.1).
     */
    private Policy requestedPolicy(String from, PolicyDiscovery.Found found) {
        DmarcRecord record = found.record();
        if (found.policyDomain().equals(from)) {
            return record.p();
        }
        if (record.np().isPresent() && !exists(from)) {
            return record.np().get();
        }
        return record.subdomainPolicy();
    }

    /**
     * RFC 9091 §2.1: a domain does not exist when A, AAAA and MX all give NXDOMAIN or NODATA. NXDOMAIN on the
     * first query already says so for every type. A temporary error counts as existing: uncertainty must not
     * bring the (usually stricter) np policy.
     */
    private boolean exists(String domain) {
        DnsAnswer<?> a = dns.a(domain);
        if (a instanceof DnsAnswer.NxDomain<?>) {
            return false;
        }
        if (!(a instanceof DnsAnswer.NoData<?>)) {
            return true;
        }
        DnsAnswer<?> aaaa = dns.aaaa(domain);
        if (!(aaaa instanceof DnsAnswer.NoData<?> || aaaa instanceof DnsAnswer.NxDomain<?>)) {
            return true;
        }
        DnsAnswer<?> mx = dns.mx(domain);
        return !(mx instanceof DnsAnswer.NoData<?> || mx instanceof DnsAnswer.NxDomain<?>);
    }
}
