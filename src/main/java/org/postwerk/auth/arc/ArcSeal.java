package org.postwerk.auth.arc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.postwerk.auth.dkim.Algorithm;
import org.postwerk.auth.dkim.Canonicalization;
import org.postwerk.auth.dkim.DkimSignature;
import org.postwerk.auth.dkim.Parsed;
import org.postwerk.auth.dkim.Tags;

/**
 * A parsed ARC-Seal field value (RFC 8617 §4.1.3). The key-related tags are kept as a {@link DkimSignature}
 * (no header list, no body hash) so the DKIM key lookup and checks apply unchanged.
 *
 * @param instance i=
 * @param cv       cv=, the chain status the sealer saw
 * @param key      a=, b=, d=, s=, t= in DKIM form
 */
record ArcSeal(int instance, ArcResult.Status cv, DkimSignature key) {

    private static final List<String> REQUIRED = List.of("i", "a", "b", "cv", "d", "s");

    static Parsed<ArcSeal> parse(String value) {
        if (!(Tags.parse(value) instanceof Parsed.Ok<Map<String, String>> ok)) {
            return new Parsed.Invalid<>("ARC-Seal does not parse");
        }
        Map<String, String> t = ok.value();
        for (String tag : REQUIRED) {
            if (!t.containsKey(tag)) {
                return new Parsed.Invalid<>("ARC-Seal lacks " + tag + "=");
            }
        }
        if (t.containsKey("h")) {
            return new Parsed.Invalid<>("ARC-Seal has h="); // §4.1.3: h= must not be present
        }
        int instance = ArcSet.instance(t.get("i"));
        Optional<Algorithm> algorithm = Algorithm.of(t.get("a"));
        Optional<ArcResult.Status> cv = cv(t.get("cv"));
        String b = Tags.compact(t.get("b"));
        Optional<byte[]> signature = DkimSignature.base64(b).filter(bytes -> bytes.length > 0);
        if (instance < 0 || algorithm.isEmpty() || algorithm.get() == Algorithm.RSA_SHA1 || cv.isEmpty()
                || signature.isEmpty()) {
            return new Parsed.Invalid<>("ARC-Seal has a bad i=, a=, cv= or b=");
        }
        Optional<java.time.Instant> time = t.containsKey("t") && t.get("t").matches("[0-9]{1,12}")
                ? Optional.of(java.time.Instant.ofEpochSecond(Long.parseLong(t.get("t")))) : Optional.empty();
        String domain = t.get("d").toLowerCase(Locale.ROOT);
        DkimSignature key = new DkimSignature(algorithm.get(), signature.get(), b, new byte[0],
                Canonicalization.RELAXED, Canonicalization.RELAXED, domain, List.of(), "@" + domain,
                OptionalLong.empty(), t.get("s"), time, Optional.empty());
        return new Parsed.Ok<>(new ArcSeal(instance, cv.get(), key));
    }

    private static Optional<ArcResult.Status> cv(String value) {
        for (ArcResult.Status s : ArcResult.Status.values()) {
            if (s.keyword().equalsIgnoreCase(value)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
