package org.postwerk.auth.spf;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import org.postwerk.auth.spf.SpfResult.Code;
import org.postwerk.dns.DnsAnswer;
import org.postwerk.dns.MxHost;
import org.postwerk.dns.Resolver;

/**
 * One run of check_host() (RFC 7208 §4) for one client and sender, with the counters that span includes and
 * redirects: DNS-querying terms (§4.6.4, at most 10) and void lookups (at most 2). Not thread-safe; one per check.
 */
final class Evaluation {
    static final int MAX_DNS_TERMS = 10;
    static final int MAX_VOID_LOOKUPS = 2;
    /** §4.6.4: MX and PTR each look at no more than 10 names. */
    static final int MAX_NAMES = 10;
    /** §4.6.4: "at least 20 seconds" for the whole evaluation, however many queries it takes. */
    static final Duration MAX_TIME = Duration.ofSeconds(20);

    /** What check_host() yields before it becomes an {@link SpfResult}. */
    record Outcome(Code code, String explanation, String problem) {
        static Outcome of(Code code) {
            return new Outcome(code, null, null);
        }

        static Outcome error(Code code, String problem) {
            return new Outcome(code, null, problem);
        }
    }

    /** A mechanism either matches, does not, or ends the evaluation with an error outcome. */
    private sealed interface Match {
        record Yes() implements Match {}

        record No() implements Match {}

        record Error(Outcome outcome) implements Match {}
    }

    private static final Outcome TOO_SLOW =
            Outcome.error(Code.TEMPERROR, "SPF check took longer than " + MAX_TIME.toSeconds() + "s");
    private static final Match YES = new Match.Yes();
    private static final Match NO = new Match.No();

    private final Resolver resolver;
    private final InetAddress client;
    private final Macros macros;
    private final InstantSource clock;
    private final Instant deadline;
    private int dnsTerms;
    private int voidLookups;

    Evaluation(Resolver resolver, InetAddress client, Macros macros, InstantSource clock) {
        this.resolver = resolver;
        this.client = client;
        this.macros = macros;
        this.clock = clock;
        this.deadline = clock.instant().plus(MAX_TIME);
    }

    /** check_host(ip, domain, sender) of RFC 7208 §4. */
    Outcome checkHost(String domain) {
        String d = DomainNames.withoutTrailingDot(domain);
        if (!DomainNames.isValid(d)) {
            return Outcome.of(Code.NONE); // §4.3: malformed or single-label domain
        }
        DnsAnswer<String> txt = resolver.txt(d);
        if (txt instanceof DnsAnswer.TempError<String> t) {
            return Outcome.error(Code.TEMPERROR, "TXT lookup for " + d + ": " + t.reason());
        }
        List<String> records = txt.recordsOrEmpty().stream().filter(SpfRecord::isSpf).toList();
        if (records.isEmpty()) {
            return Outcome.of(Code.NONE); // §4.4, §4.5
        }
        if (records.size() > 1) {
            return Outcome.error(Code.PERMERROR, "more than one SPF record for " + d);
        }
        return switch (SpfRecord.parse(records.getFirst())) {
            case SpfRecord.Parse.Invalid invalid -> Outcome.error(Code.PERMERROR, invalid.reason() + " at " + d);
            case SpfRecord.Parse.Valid valid -> evaluate(valid.record(), d);
        };
    }

    /** §4.6.2 and §6.1: directives left to right, then redirect, else neutral. */
    private Outcome evaluate(SpfRecord record, String d) {
        for (SpfRecord.Directive directive : record.directives()) {
            Optional<Outcome> overBudget = directive.mechanism().queriesDns() ? spendLookup() : Optional.empty();
            if (overBudget.isPresent()) {
                return overBudget.get();
            }
            switch (match(directive.mechanism(), d)) {
                case Match.Error e -> {
                    return e.outcome();
                }
                case Match.No n -> { }
                case Match.Yes y -> {
                    Code code = code(directive.qualifier());
                    return new Outcome(code, code == Code.FAIL ? explain(record, d) : null, null);
                }
            }
        }
        if (record.redirect().isEmpty()) {
            return Outcome.of(Code.NEUTRAL);
        }
        Optional<Outcome> overBudget = spendLookup();
        if (overBudget.isPresent()) {
            return overBudget.get();
        }
        String target = macros.domain(record.redirect().get(), d);
        Outcome redirected = checkHost(target);
        // §6.1: a redirect to a domain without an SPF record (or a malformed one) is a permerror.
        return redirected.code() == Code.NONE
                ? Outcome.error(Code.PERMERROR, "redirect target " + target + " has no SPF record") : redirected;
    }

    private static Code code(SpfRecord.Qualifier q) {
        return switch (q) {
            case PASS -> Code.PASS;
            case FAIL -> Code.FAIL;
            case SOFTFAIL -> Code.SOFTFAIL;
            case NEUTRAL -> Code.NEUTRAL;
        };
    }

    private Match match(Mechanism mechanism, String d) {
        return switch (mechanism) {
            case Mechanism.All all -> YES;
            case Mechanism.Ip ip -> ip.network().contains(client) ? YES : NO;
            case Mechanism.Include include -> include(macros.domain(include.domain(), d));
            case Mechanism.A a -> addressMatch(target(a.domain(), d), a.cidr4(), a.cidr6(), true);
            case Mechanism.Mx mx -> mx(target(mx.domain(), d), mx.cidr4(), mx.cidr6());
            case Mechanism.Ptr ptr -> ptr(target(ptr.domain(), d));
            case Mechanism.Exists exists -> exists(macros.domain(exists.domain(), d));
        };
    }

    private String target(Optional<MacroString> spec, String d) {
        return spec.map(s -> macros.domain(s, d)).orElse(d);
    }

    /** §5.2: the included policy's pass is a match; its errors and none are errors here. */
    private Match include(String target) {
        Outcome inner = checkHost(target);
        return switch (inner.code()) {
            case PASS -> YES;
            case FAIL, SOFTFAIL, NEUTRAL -> NO;
            case TEMPERROR, PERMERROR -> new Match.Error(inner);
            case NONE -> new Match.Error(Outcome.error(Code.PERMERROR, "included " + target + " has no SPF record"));
        };
    }

    /** §5.3 (and each MX host of §5.4): an address of {@code name} in the client's family, within the CIDR. */
    private Match addressMatch(String name, int cidr4, int cidr6, boolean countVoid) {
        boolean v4 = Network.isIpv4(client);
        DnsAnswer<InetAddress> answer = DomainNames.isValid(name)
                ? (v4 ? resolver.a(name) : resolver.aaaa(name)) : new DnsAnswer.NxDomain<>();
        if (answer instanceof DnsAnswer.TempError<InetAddress> t) {
            return new Match.Error(Outcome.error(Code.TEMPERROR, "address lookup for " + name + ": " + t.reason()));
        }
        if (!(answer instanceof DnsAnswer.Found<InetAddress> found)) {
            return countVoid ? voidLookup(name) : NO;
        }
        for (InetAddress address : found.records()) {
            byte[] bytes = Network.clientBytes(address);
            if (new Network(bytes, bytes.length == 4 ? cidr4 : cidr6).contains(client)) {
                return YES;
            }
        }
        return NO;
    }

    /** §5.4: the MX hosts' addresses; more than 10 MX names is a permerror (§4.6.4). */
    private Match mx(String name, int cidr4, int cidr6) {
        DnsAnswer<MxHost> answer = DomainNames.isValid(name) ? resolver.mx(name) : new DnsAnswer.NxDomain<>();
        if (answer instanceof DnsAnswer.TempError<MxHost> t) {
            return new Match.Error(Outcome.error(Code.TEMPERROR, "MX lookup for " + name + ": " + t.reason()));
        }
        if (!(answer instanceof DnsAnswer.Found<MxHost> found)) {
            return voidLookup(name);
        }
        if (found.records().size() > MAX_NAMES) {
            return new Match.Error(Outcome.error(Code.PERMERROR, "more than " + MAX_NAMES + " MX names for " + name));
        }
        for (MxHost host : found.records()) {
            if (host.host().isEmpty()) {
                continue; // null MX (RFC 7505)
            }
            if (pastDeadline()) {
                return new Match.Error(TOO_SLOW);
            }
            Match m = addressMatch(host.host(), cidr4, cidr6, false);
            if (!(m instanceof Match.No)) {
                return m;
            }
        }
        return NO;
    }

    /** §5.5: a validated reverse name equal to, or below, the target. */
    private Match ptr(String target) {
        PtrNames names = PtrNames.of(resolver, client);
        if (names.wasVoid()) {
            return voidLookup(Network.macroForm(client));
        }
        String t = target.toLowerCase(java.util.Locale.ROOT);
        return names.validated().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT))
                .anyMatch(n -> n.equals(t) || n.endsWith("." + t)) ? YES : NO;
    }

    /** §5.7: any A record, whatever the client's family. */
    private Match exists(String name) {
        DnsAnswer<InetAddress> answer = DomainNames.isValid(name) ? resolver.a(name) : new DnsAnswer.NxDomain<>();
        return switch (answer) {
            case DnsAnswer.Found<InetAddress> f -> YES;
            case DnsAnswer.TempError<InetAddress> t ->
                    new Match.Error(Outcome.error(Code.TEMPERROR, "exists lookup for " + name + ": " + t.reason()));
            default -> voidLookup(name);
        };
    }

    /** Counts one DNS-querying term (§4.6.4); the error outcome once over the count or the time budget. */
    private Optional<Outcome> spendLookup() {
        if (++dnsTerms > MAX_DNS_TERMS) {
            return Optional.of(Outcome.error(Code.PERMERROR, "more than " + MAX_DNS_TERMS + " DNS lookups"));
        }
        return pastDeadline() ? Optional.of(TOO_SLOW) : Optional.empty();
    }

    private boolean pastDeadline() {
        return clock.instant().isAfter(deadline);
    }

    /** §4.6.4: more than two lookups that find nothing is a permerror. */
    private Match voidLookup(String name) {
        if (++voidLookups > MAX_VOID_LOOKUPS) {
            return new Match.Error(Outcome.error(Code.PERMERROR,
                    "more than " + MAX_VOID_LOOKUPS + " void lookups (last " + name + ")"));
        }
        return NO;
    }

    /** §6.2: the explanation for a fail, from the exp= domain's single TXT record; any problem means none. */
    private String explain(SpfRecord record, String d) {
        if (record.exp().isEmpty()) {
            return null;
        }
        String name = macros.domain(record.exp().get(), d);
        if (!DomainNames.isValid(name)) {
            return null;
        }
        List<String> texts = resolver.txt(name).recordsOrEmpty();
        if (texts.size() != 1) {
            return null;
        }
        return MacroString.parseExplanation(texts.getFirst())
                .map(text -> macros.explanation(text, d))
                .filter(text -> text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e))
                .orElse(null);
    }
}
