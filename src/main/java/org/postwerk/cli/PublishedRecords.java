package org.postwerk.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.postwerk.dns.DnsAnswer;

/**
 * Zone-file lines as {@code postwerk dns DOMAIN} prints them, compared with what DNS answers, record by record
 * and whatever their type. The comparison is about meaning, not text: TXT strings are joined before comparing
 * (RFC 7208 §3.3, RFC 6376 §3.6.2.2), SPF terms compare without case or extra spaces, tag=value records (DKIM,
 * DMARC, MTA-STS, TLS-RPT) as tag sets in any order with whitespace in values ignored (RFC 6376 §3.2), an MX
 * is right when our host is among the most preferred whatever the number, and other data compares token by token
 * without case (names, hex).
 */
final class PublishedRecords {
    private PublishedRecords() {}

    /** One record of the zone text: owner name, type and data tokens (strings unquoted). */
    record ZoneRecord(String name, String type, List<String> data) {
        /** The record on a zone-file line ({@code name [ttl] [IN] TYPE data [; comment]}), or empty for none. */
        static Optional<ZoneRecord> parse(String line) {
            List<String> t = Tokens.of(line);
            if (t.size() < 3 || line.startsWith(";")) {
                return Optional.empty();
            }
            int i = 1;
            if (t.get(i).chars().allMatch(Character::isDigit)) {
                i++;
            }
            if (t.get(i).equalsIgnoreCase("IN")) {
                i++;
            }
            if (i >= t.size() - 1) {
                return Optional.empty();
            }
            return Optional.of(new ZoneRecord(t.get(0), t.get(i).toUpperCase(Locale.ROOT), t.subList(i + 1, t.size())));
        }

        /** The data as written in a zone file. */
        String dataText() {
            return type.equals("TXT") ? String.join(" ", data.stream().map(d -> '"' + d + '"').toList())
                    : String.join(" ", data);
        }
    }

    sealed interface Verdict {
        /** Published as printed (or with the same meaning). */
        record Ok() implements Verdict {}

        /** No record of this type at the name. */
        record Missing() implements Verdict {}

        /** Records of this kind exist at the name, none with the same meaning. */
        record Different(List<String> published) implements Verdict {}

        /** The lookup failed (timeout, SERVFAIL): we do not know. */
        record Unknown(String reason) implements Verdict {}
    }

    record Checked(ZoneRecord expected, Verdict verdict) {
        /** {@code name TYPE data: ok}, {@code …: missing}, {@code …: different (published: …)}. */
        String text() {
            String what = expected.name() + " " + expected.type() + " " + expected.dataText() + ": ";
            return what + switch (verdict) {
                case Verdict.Ok o -> "ok";
                case Verdict.Missing m -> "missing";
                case Verdict.Different d -> "different (published: " + String.join(" | ", d.published()) + ")";
                case Verdict.Unknown u -> "unknown (DNS: " + u.reason() + ")";
            };
        }

        boolean ok() {
            return verdict instanceof Verdict.Ok;
        }
    }

    /**
     * @param lookup records of a name and type, each as presentation-format data (RFC 1035 §5.1)
     */
    static List<Checked> check(List<String> zoneLines, BiFunction<String, String, DnsAnswer<String>> lookup) {
        List<Checked> out = new ArrayList<>();
        for (String line : zoneLines) {
            ZoneRecord.parse(line).ifPresent(r -> out.add(new Checked(r, verdict(r, lookup.apply(r.name(), r.type())))));
        }
        return out;
    }

    private static Verdict verdict(ZoneRecord expected, DnsAnswer<String> answer) {
        return switch (answer) {
            case DnsAnswer.Found<String> f -> compare(expected, f.records().stream().map(Tokens::of).toList());
            case DnsAnswer.NxDomain<String> n -> new Verdict.Missing();
            case DnsAnswer.NoData<String> n -> new Verdict.Missing();
            case DnsAnswer.TempError<String> t -> new Verdict.Unknown(t.reason());
        };
    }

    private static Verdict compare(ZoneRecord expected, List<List<String>> published) {
        List<String> shown = published.stream().map(p -> new ZoneRecord(expected.name(), expected.type(), p).dataText())
                .toList();
        return switch (expected.type()) {
            case "TXT" -> txt(String.join("", expected.data()), published.stream().map(p -> String.join("", p)).toList());
            case "MX" -> mx(expected.data(), published, shown);
            default -> published.stream().anyMatch(p -> lower(p).equals(lower(expected.data()))) ? new Verdict.Ok()
                    : new Verdict.Different(shown);
        };
    }

    /** Among TXT records of the same kind (the same {@code v=}), one with the same meaning. */
    private static Verdict txt(String expected, List<String> published) {
        String kind = kind(expected);
        List<String> sameKind = published.stream().filter(p -> kind(p).equals(kind)).toList();
        if (sameKind.isEmpty()) {
            return new Verdict.Missing(); // other TXT records at the name (e.g. a site verification) do not count
        }
        if (sameKind.stream().anyMatch(p -> sameTxt(expected, p))) {
            return new Verdict.Ok();
        }
        return new Verdict.Different(sameKind.stream().map(p -> '"' + p + '"').toList());
    }

    /** The version tag's value, lower case ({@code spf1}, {@code dkim1}, ...), or "" when it has none. */
    private static String kind(String txt) {
        String t = txt.strip().toLowerCase(Locale.ROOT);
        if (!t.startsWith("v=")) {
            return "";
        }
        int end = t.indexOf(t.startsWith("v=spf1") ? ' ' : ';');
        return (end < 0 ? t.substring(2) : t.substring(2, end)).strip();
    }

    private static boolean sameTxt(String expected, String published) {
        if (kind(expected).equals("spf1")) {
            // RFC 7208 §4.6.1: terms separated by spaces; mechanism names are case-insensitive (§4.6.1, §12).
            return Arrays.asList(expected.toLowerCase(Locale.ROOT).strip().split(" +"))
                    .equals(Arrays.asList(published.toLowerCase(Locale.ROOT).strip().split(" +")));
        }
        if (expected.contains("=")) {
            return tags(expected).equals(tags(published));
        }
        return expected.equals(published);
    }

    /** {@code tag=value} pairs separated by ';' (RFC 6376 §3.2): tag order and whitespace do not matter. */
    private static Map<String, String> tags(String text) {
        Map<String, String> tags = new TreeMap<>();
        for (String part : text.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                tags.put(part.substring(0, eq).strip().toLowerCase(Locale.ROOT),
                        part.substring(eq + 1).replaceAll("[ \\t\\r\\n]", ""));
            } else if (!part.isBlank()) {
                tags.put(part.strip(), "");
            }
        }
        return tags;
    }

    /** Our host among the most preferred (RFC 5321 §5.1: the lowest number is tried first), whatever the number. */
    private static Verdict mx(List<String> expected, List<List<String>> published, List<String> shown) {
        if (expected.size() != 2 || published.stream().anyMatch(p -> p.size() != 2)) {
            return new Verdict.Different(shown);
        }
        int best = published.stream().mapToInt(p -> Integer.parseInt(p.get(0))).min().orElse(Integer.MAX_VALUE);
        String host = expected.get(1).toLowerCase(Locale.ROOT);
        boolean preferred = published.stream().anyMatch(p -> p.get(1).toLowerCase(Locale.ROOT).equals(host)
                && Integer.parseInt(p.get(0)) == best);
        return preferred ? new Verdict.Ok() : new Verdict.Different(shown);
    }

    private static List<String> lower(List<String> tokens) {
        return tokens.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList();
    }

    /** Zone-file tokens: words, or "strings" with \" and \\ escapes, up to an unquoted ';' comment. */
    static final class Tokens {
        private Tokens() {}

        static List<String> of(String line) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == ' ' || c == '\t') {
                    i++;
                } else if (c == ';') {
                    break;
                } else if (c == '"') {
                    StringBuilder sb = new StringBuilder();
                    i++;
                    while (i < line.length() && line.charAt(i) != '"') {
                        if (line.charAt(i) == '\\' && i + 1 < line.length()) {
                            i++;
                        }
                        sb.append(line.charAt(i++));
                    }
                    out.add(sb.toString());
                    i++;
                } else {
                    int start = i;
                    while (i < line.length() && " \t;".indexOf(line.charAt(i)) < 0) {
                        i++;
                    }
                    out.add(line.substring(start, i));
                }
            }
            return out;
        }
    }
}
