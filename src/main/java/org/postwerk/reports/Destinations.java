package org.postwerk.reports;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.auth.dmarc.DmarcRecord;
import org.postwerk.auth.dmarc.OrganizationalDomains;
import org.postwerk.auth.dmarc.ReportUri;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.Resolver;

/** Where a domain wants its reports, from DNS. */
public final class Destinations {
    private final Resolver dns;
    private final OrganizationalDomains organizational;

    public Destinations(Resolver dns, OrganizationalDomains organizational) {
        this.dns = dns;
        this.organizational = organizational;
    }

    /** A lookup's outcome: the value, no reports wanted (the data can go), or ask again later (keep the data). */
    public sealed interface Lookup<T> {
        record Found<T>(T value) implements Lookup<T> {}

        record NotWanted<T>(String why) implements Lookup<T> {}

        record Later<T>(String why) implements Lookup<T> {}
    }

    /** The domain's TLS-RPT record at {@code _smtp._tls.DOMAIN} (RFC 8460 §3). */
    public Lookup<TlsRptRecord> tlsRpt(String domain) {
        DnsAnswer<String> a = dns.txt("_smtp._tls." + domain);
        if (a instanceof DnsAnswer.TempError<String> t) {
            return new Lookup.Later<>(t.reason());
        }
        return TlsRptRecord.of(a.recordsOrEmpty()).<Lookup<TlsRptRecord>>map(Lookup.Found::new)
                .orElseGet(() -> new Lookup.NotWanted<>("no usable TLS-RPT record at _smtp._tls." + domain));
    }

    /**
     * The DMARC record of a policy domain with its {@code rua=mailto:} destinations, each allowed or not by the
     * external-destination check.
     *
     * @param allowed the mailto URIs to send to
     * @param refused why others are not used
     */
    public record Dmarc(DmarcRecord record, List<ReportUri> allowed, List<String> refused) {}

    /** The DMARC record at {@code _dmarc.DOMAIN} (the domain a row names is where its record was found). */
    public Lookup<Dmarc> dmarc(String policyDomain) {
        DnsAnswer<String> a = dns.txt("_dmarc." + policyDomain);
        if (a instanceof DnsAnswer.TempError<String> t) {
            return new Lookup.Later<>(t.reason());
        }
        List<DmarcRecord> records = new ArrayList<>();
        for (String txt : a.recordsOrEmpty()) {
            if (DmarcRecord.parse(txt) instanceof DmarcRecord.Valid v) {
                records.add(v.record());
            }
        }
        if (records.size() != 1) { // RFC 7489 §6.6.3: none, or more than one, is no policy
            return new Lookup.NotWanted<>("no single DMARC record at _dmarc." + policyDomain);
        }
        List<ReportUri> allowed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (ReportUri uri : records.getFirst().rua()) {
            Optional<String> host = mailtoDomain(uri.uri());
            if (host.isEmpty()) {
                refused.add(uri.uri() + ": only mailto: is sent to");
            } else {
                Optional<String> refusal = external(policyDomain, host.get());
                if (refusal.isPresent()) {
                    refused.add(uri.uri() + ": " + refusal.get());
                } else {
                    allowed.add(uri);
                }
            }
        }
        if (allowed.isEmpty()) {
            return new Lookup.NotWanted<>("no usable rua at _dmarc." + policyDomain
                    + (refused.isEmpty() ? "" : " (" + String.join("; ", refused) + ")"));
        }
        return new Lookup.Found<>(new Dmarc(records.getFirst(), allowed, refused));
    }

    /**
     * RFC 7489 §7.1: a destination outside the policy domain's organisational domain must agree to take its
     * reports with a {@code v=DMARC1} TXT record at {@code POLICYDOMAIN._report._dmarc.RUADOMAIN}. Empty when
     * the destination may be used, else why not.
     */
    Optional<String> external(String policyDomain, String ruaDomain) {
        if (organizational.of(policyDomain).equals(organizational.of(ruaDomain))) {
            return Optional.empty();
        }
        String name = policyDomain + "._report._dmarc." + ruaDomain;
        DnsAnswer<String> a = dns.txt(name);
        if (a instanceof DnsAnswer.TempError<String> t) {
            return Optional.of("external destination not confirmed (" + name + ": " + t.reason() + ")");
        }
        boolean agreed = a.recordsOrEmpty().stream()
                .anyMatch(t -> t.strip().toUpperCase(Locale.ROOT).replace(" ", "").startsWith("V=DMARC1"));
        return agreed ? Optional.empty() : Optional.of("external destination not confirmed (no v=DMARC1 at " + name + ")");
    }

    /** The domain of a {@code mailto:} URI's address, lower case; empty for other schemes. */
    static Optional<String> mailtoDomain(URI uri) {
        if (!"mailto".equalsIgnoreCase(uri.getScheme())) {
            return Optional.empty();
        }
        String address = uri.getSchemeSpecificPart();
        int q = address.indexOf('?');
        address = q < 0 ? address : address.substring(0, q);
        int at = address.lastIndexOf('@');
        return at < 0 ? Optional.empty() : Optional.of(address.substring(at + 1).toLowerCase(Locale.ROOT));
    }

    /** The address of a {@code mailto:} URI. */
    static String mailtoAddress(URI uri) {
        String address = uri.getSchemeSpecificPart();
        int q = address.indexOf('?');
        return q < 0 ? address : address.substring(0, q);
    }
}
