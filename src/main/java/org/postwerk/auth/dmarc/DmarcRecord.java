package org.postwerk.auth.dmarc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A DMARC policy record (RFC 7489 §6.3, {@code np} from RFC 9091 §4.1), with defaults filled in.
 *
 * @param p        policy for the domain itself
 * @param sp       policy for subdomains, if given (else {@code p})
 * @param np       policy for non-existent subdomains, if given (else {@code sp}, else {@code p})
 * @param adkim    DKIM alignment mode (default relaxed)
 * @param aspf     SPF alignment mode (default relaxed)
 * @param pct      percentage of failing messages the policy applies to, 0..100 (default 100)
 * @param rua      aggregate report addresses
 * @param ruf      failure report addresses
 * @param fo       failure reporting options, each of {@code 0 1 d s} (default {@code 0})
 * @param rf       failure report formats (default {@code afrf})
 * @param ri       aggregate report interval in seconds (default 86400)
 */
public record DmarcRecord(Policy p, Optional<Policy> sp, Optional<Policy> np, Alignment adkim, Alignment aspf,
                          int pct, List<ReportUri> rua, List<ReportUri> ruf, Set<String> fo, List<String> rf,
                          long ri) {
    private static final Pattern VERSION = Pattern.compile("[ \\t]*v[ \\t]*=[ \\t]*DMARC1[ \\t]*(;|$)");

    public DmarcRecord {
        rua = List.copyOf(rua);
        ruf = List.copyOf(ruf);
        fo = Set.copyOf(fo);
        rf = List.copyOf(rf);
    }

    /** The outcome of parsing one TXT record. */
    public sealed interface Parsed {}

    /** A usable record; {@code warnings} lists values that were invalid and replaced by defaults. */
    public record Valid(DmarcRecord record, List<String> warnings) implements Parsed {
        public Valid {
            warnings = List.copyOf(warnings);
        }
    }

    /** Not a DMARC record at all (does not start with {@code v=DMARC1}): discarded (RFC 7489 §6.6.3 step 2). */
    public record NotDmarc() implements Parsed {}

    /** A DMARC record that cannot be applied: no valid {@code p} and no valid {@code rua} (§6.6.3 step 6). */
    public record Invalid(String reason) implements Parsed {}

    /** The policy for a subdomain that exists (RFC 7489 §6.3 sp). */
    public Policy subdomainPolicy() {
        return sp.orElse(p);
    }

    /** The policy for a subdomain that does not exist (RFC 9091 §4.1 np; falls back to sp, then p). */
    public Policy nonExistentPolicy() {
        return np.or(() -> sp).orElse(p);
    }

    /**
     * Parses a TXT record's text. Tag names and values other than the version are case-insensitive (RFC 5234
     * §2.3 literals); unknown tags are ignored (§6.3); the first of duplicate tags counts. An invalid optional
     * value falls back to its default with a warning; an invalid {@code sp} or {@code np} is ignored, so the
     * next broader policy applies. RFC 7489 §6.6.3 step 6 would treat an invalid {@code sp} like an invalid
     * {@code p} (act as {@code p=none}, or no DMARC at all); we keep the owner's valid {@code p} in force instead
     * (see docs/adr/0006-dmarc-choices.md).
     */
    public static Parsed parse(String text) {
        // RFC 7489 §6.3: v MUST be the first tag; its value is the exact, case-sensitive DMARC1 (§6.4 ABNF %x).
        if (!VERSION.matcher(text).lookingAt()) {
            return new NotDmarc();
        }
        List<String[]> tags = TagList.split(text);
        Map<String, String> values = new LinkedHashMap<>();
        for (String[] tag : tags.subList(1, tags.size())) {
            values.putIfAbsent(tag[0].toLowerCase(Locale.ROOT), tag[1]);
        }
        return new Builder(values).build();
    }

    /** Holds the tag values while the record is built, collecting warnings. */
    private static final class Builder {
        private final Map<String, String> values;
        private final List<String> warnings = new ArrayList<>();

        Builder(Map<String, String> values) {
            this.values = values;
        }

        Parsed build() {
            List<ReportUri> rua = uris("rua");
            Optional<Policy> p = policy("p");
            if (p.isEmpty()) {
                // RFC 7489 §6.6.3 step 6: with a usable rua, act as if p=none so that reports still flow.
                if (rua.isEmpty()) {
                    return new Invalid(values.containsKey("p") ? "invalid p=" + values.get("p") : "no p tag");
                }
                warnings.add(values.containsKey("p") ? "invalid p, treated as none" : "no p tag, treated as none");
                p = Optional.of(Policy.NONE);
            }
            DmarcRecord r = new DmarcRecord(p.get(), policy("sp"), policy("np"), alignment("adkim"),
                    alignment("aspf"), pct(), rua, uris("ruf"), fo(), rf(), ri());
            return new Valid(r, warnings);
        }

        private Optional<Policy> policy(String tag) {
            String v = values.get(tag);
            if (v == null) {
                return Optional.empty();
            }
            Optional<Policy> policy = Policy.parse(v);
            if (policy.isEmpty() && !tag.equals("p")) {
                warnings.add("invalid " + tag + "=" + v + " ignored");
            }
            return policy;
        }

        private Alignment alignment(String tag) {
            String v = values.getOrDefault(tag, "r").toLowerCase(Locale.ROOT);
            return switch (v) {
                case "r" -> Alignment.RELAXED;
                case "s" -> Alignment.STRICT;
                default -> {
                    warnings.add("invalid " + tag + "=" + v + ", relaxed used");
                    yield Alignment.RELAXED;
                }
            };
        }

        private int pct() {
            String v = values.getOrDefault("pct", "100");
            if (v.matches("[0-9]{1,3}") && Integer.parseInt(v) <= 100) {
                return Integer.parseInt(v);
            }
            warnings.add("invalid pct=" + v + ", 100 used");
            return 100;
        }

        private List<ReportUri> uris(String tag) {
            String v = values.get(tag);
            if (v == null || v.isBlank()) {
                return List.of();
            }
            List<ReportUri> uris = new ArrayList<>();
            for (String part : v.split(",")) {
                ReportUri.parse(part).ifPresentOrElse(uris::add,
                        () -> warnings.add("invalid " + tag + " URI ignored: " + part.strip()));
            }
            return uris;
        }

        private Set<String> fo() {
            String v = values.getOrDefault("fo", "0").toLowerCase(Locale.ROOT);
            Set<String> options = Set.copyOf(keywords(v));
            if (!Set.of("0", "1", "d", "s").containsAll(options)) {
                warnings.add("invalid fo=" + v + ", 0 used");
                return Set.of("0");
            }
            return options;
        }

        private List<String> rf() {
            String v = values.getOrDefault("rf", "afrf").toLowerCase(Locale.ROOT);
            List<String> formats = keywords(v);
            if (!formats.stream().allMatch(f -> f.matches("[a-z0-9-]+"))) {
                warnings.add("invalid rf=" + v + ", afrf used");
                return List.of("afrf");
            }
            return formats;
        }

        /** A colon-separated list with optional whitespace around the colons (RFC 7489 §6.4 fo, rf). */
        private static List<String> keywords(String value) {
            return List.of(value.split("[ \\t]*:[ \\t]*", -1));
        }

        private long ri() {
            String v = values.getOrDefault("ri", "86400");
            // RFC 7489 §6.3: a 32-bit unsigned integer.
            if (v.matches("[0-9]{1,10}") && Long.parseLong(v) <= 0xFFFF_FFFFL) {
                return Long.parseLong(v);
            }
            warnings.add("invalid ri=" + v + ", 86400 used");
            return 86400;
        }
    }
}
