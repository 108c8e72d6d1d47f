package org.postwerk.auth.dkim;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A parsed DKIM-Signature field value (RFC 6376 §3.5). Parsing is pure; {@link #parse} checks syntax and the
 * rules that need no DNS and no clock (required tags, v=1, h= contains From, i= within d=, x= after t=).
 *
 * @param algorithm      a=
 * @param signature      b=, decoded
 * @param signatureText  b= as written, without white space (for header.b= in Authentication-Results)
 * @param bodyHash       bh=, decoded
 * @param headerCanon    c= header part (default simple)
 * @param bodyCanon      c= body part (default simple)
 * @param domain         d=, lower case
 * @param signedHeaders  h=, names as written, in order
 * @param identity       i=, default {@code @d}
 * @param length         l=, if present
 * @param selector       s=
 * @param timestamp      t=, if present
 * @param expiry         x=, if present
 */
public record DkimSignature(Algorithm algorithm, byte[] signature, String signatureText, byte[] bodyHash,
                            Canonicalization headerCanon, Canonicalization bodyCanon, String domain,
                            List<String> signedHeaders, String identity, OptionalLong length, String selector,
                            Optional<Instant> timestamp, Optional<Instant> expiry) {

    public DkimSignature {
        signedHeaders = List.copyOf(signedHeaders);
    }

    /** The tags every signature must have (§6.1.1). */
    private static final List<String> REQUIRED = List.of("v", "a", "b", "bh", "d", "h", "s");

    /** Parses the value of a DKIM-Signature field (everything after the colon, folding included). */
    public static Parsed<DkimSignature> parse(String value) {
        return switch (Tags.parse(value)) {
            case Parsed.Invalid<?> i -> new Parsed.Invalid<>(i.reason());
            case Parsed.Ok<Map<String, String>> ok -> fromTags(ok.value());
        };
    }

    /** The d= and s= of a field, as far as they can be read, to report a signature that does not parse. */
    static Optional<Map<String, String>> tagsOf(String value) {
        return Tags.parse(value) instanceof Parsed.Ok<Map<String, String>> ok ? Optional.of(ok.value()) : Optional.empty();
    }

    /** Public for ARC: an AMS is a DKIM-Signature without v= and with a numeric i= (RFC 8617 §4.1.2). */
    public static Parsed<DkimSignature> fromTags(Map<String, String> t) {
        for (String tag : REQUIRED) {
            if (!t.containsKey(tag)) {
                return invalid("missing tag " + tag + "=");
            }
        }
        if (!t.get("v").equals("1")) {
            return invalid("unsupported version v=" + Tags.shorten(t.get("v")));
        }
        Optional<Algorithm> algorithm = Algorithm.of(t.get("a"));
        if (algorithm.isEmpty()) {
            return invalid("unknown algorithm a=" + Tags.shorten(t.get("a")));
        }
        String signatureText = Tags.compact(t.get("b"));
        Optional<byte[]> signature = base64(signatureText);
        Optional<byte[]> bodyHash = base64(Tags.compact(t.get("bh")));
        if (signature.isEmpty() || signature.get().length == 0) {
            return invalid("b= is not base64");
        }
        if (bodyHash.isEmpty() || bodyHash.get().length == 0) {
            return invalid("bh= is not base64");
        }
        String[] c = t.getOrDefault("c", "simple/simple").split("/", -1);
        Optional<Canonicalization> headerCanon = Canonicalization.of(c[0]);
        Optional<Canonicalization> bodyCanon = c.length == 1 ? Optional.of(Canonicalization.SIMPLE)
                : c.length == 2 ? Canonicalization.of(c[1]) : Optional.empty();
        if (headerCanon.isEmpty() || bodyCanon.isEmpty()) {
            return invalid("unknown canonicalization c=" + Tags.shorten(t.get("c")));
        }
        String domain = t.get("d").toLowerCase(Locale.ROOT);
        if (!DomainNames.valid(domain)) {
            return invalid("bad domain d=" + Tags.shorten(domain));
        }
        String selector = t.get("s");
        if (!DomainNames.valid(selector)) {
            return invalid("bad selector s=" + Tags.shorten(selector));
        }
        List<String> headers = headerList(t.get("h"));
        if (headers.stream().noneMatch(h -> h.equalsIgnoreCase("from"))) {
            return invalid("h= does not include From"); // §5.4: From must be signed
        }
        return rest(t, algorithm.get(), signature.get(), signatureText, bodyHash.get(), headerCanon.get(),
                bodyCanon.get(), domain, headers, selector);
    }

    private static Parsed<DkimSignature> rest(Map<String, String> t, Algorithm algorithm, byte[] signature,
                                              String signatureText, byte[] bodyHash, Canonicalization headerCanon,
                                              Canonicalization bodyCanon, String domain, List<String> headers,
                                              String selector) {
        String identity = t.getOrDefault("i", "@" + domain);
        int at = identity.lastIndexOf('@');
        if (at < 0) {
            return invalid("i= has no @");
        }
        String identityDomain = identity.substring(at + 1).toLowerCase(Locale.ROOT);
        if (!DomainNames.within(identityDomain, domain)) {
            return invalid("i= domain " + Tags.shorten(identityDomain) + " is not within d=" + domain); // §3.5 i=
        }
        OptionalLong length = OptionalLong.empty();
        if (t.containsKey("l")) {
            OptionalLong l = number(t.get("l"), 76);
            if (l.isEmpty()) {
                return invalid("bad body length l=" + Tags.shorten(t.get("l")));
            }
            length = l;
        }
        if (t.containsKey("q") && headerList(t.get("q")).stream().noneMatch(q -> q.equalsIgnoreCase("dns/txt"))) {
            return invalid("unsupported query method q=" + Tags.shorten(t.get("q")));
        }
        Optional<Instant> timestamp = Optional.empty();
        Optional<Instant> expiry = Optional.empty();
        for (String tag : List.of("t", "x")) {
            if (t.containsKey(tag)) {
                OptionalLong n = number(t.get(tag), 12);
                if (n.isEmpty()) {
                    return invalid("bad time " + tag + "=" + Tags.shorten(t.get(tag)));
                }
                Optional<Instant> when = Optional.of(Instant.ofEpochSecond(n.getAsLong()));
                if (tag.equals("t")) {
                    timestamp = when;
                } else {
                    expiry = when;
                }
            }
        }
        if (timestamp.isPresent() && expiry.isPresent() && expiry.get().isBefore(timestamp.get())) {
            return invalid("x= is before t="); // §3.5 x=: must be greater than t=
        }
        return new Parsed.Ok<>(new DkimSignature(algorithm, signature, signatureText, bodyHash, headerCanon,
                bodyCanon, domain, headers, identity, length, selector, timestamp, expiry));
    }

    /** h= and q=: colon-separated, FWS allowed around each item. */
    private static List<String> headerList(String value) {
        List<String> names = new ArrayList<>();
        for (String name : value.split(":", -1)) {
            String n = Tags.trimFws(name);
            if (!n.isEmpty()) {
                names.add(n);
            }
        }
        return names;
    }

    /** A decimal number of at most {@code digits} digits that fits a long (l= is 1*76DIGIT, t= 1*12DIGIT). */
    private static OptionalLong number(String text, int digits) {
        if (!text.matches("[0-9]{1," + digits + "}")) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return text.length() > 18 ? OptionalLong.of(Long.MAX_VALUE) : OptionalLong.empty();
        }
    }

    /** Public for ARC-Seal's b= (org.postwerk.auth.arc). */
    public static Optional<byte[]> base64(String text) {
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Parsed<DkimSignature> invalid(String reason) {
        return new Parsed.Invalid<>(reason);
    }
}
