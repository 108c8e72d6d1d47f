package org.postwerk.auth.arc;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.postwerk.auth.dkim.Canonicalization;
import org.postwerk.auth.dkim.DkimSignature;
import org.postwerk.auth.dkim.HeaderFields;
import org.postwerk.auth.dkim.Parsed;
import org.postwerk.auth.dkim.SignedHeaders;
import org.postwerk.auth.dkim.Tags;

/**
 * One ARC set (RFC 8617 §4.1): the three fields of an instance, as received, with the AMS and AS parsed.
 *
 * @param message the ARC-Message-Signature in DKIM form (v=1 added, the numeric i= removed)
 */
record ArcSet(int instance, HeaderFields.Field results, HeaderFields.Field messageField,
              HeaderFields.Field sealField, DkimSignature message, ArcSeal seal) {

    static final String AAR = "ARC-Authentication-Results";
    static final String AMS = "ARC-Message-Signature";
    static final String AS = "ARC-Seal";

    /** §4.2.1: instance numbers run from 1 to 50. */
    static final int MAX_INSTANCES = 50;

    /** An i= value as a number, or -1 when it is not 1 to 3 digits (anything beyond 50 is rejected later). */
    static int instance(String value) {
        String v = Tags.trimFws(value);
        return v.matches("[0-9]{1,3}") ? Integer.parseInt(v) : -1;
    }

    /** The instance of any ARC field: AAR starts with {@code i=N;} (§4.1.1), AMS and AS carry an i= tag. */
    static int instanceOf(HeaderFields.Field field) {
        String value = field.value();
        if (field.is(AAR)) {
            int semi = value.indexOf(';');
            String first = semi < 0 ? value : value.substring(0, semi);
            int eq = first.indexOf('=');
            return eq > 0 && Tags.trimFws(first.substring(0, eq)).equals("i") ? instance(first.substring(eq + 1)) : -1;
        }
        if (Tags.parse(value) instanceof Parsed.Ok<Map<String, String>> ok && ok.value().containsKey("i")) {
            return instance(ok.value().get("i"));
        }
        return -1;
    }

    /** §4.1.2: an AMS has the syntax and semantics of a DKIM-Signature, except i= (the instance) and no v=. */
    static Parsed<DkimSignature> parseMessageSignature(String value) {
        if (!(Tags.parse(value) instanceof Parsed.Ok<Map<String, String>> ok)) {
            return new Parsed.Invalid<>("ARC-Message-Signature does not parse");
        }
        if (ok.value().containsKey("v")) {
            return new Parsed.Invalid<>("ARC-Message-Signature has v="); // §4.1.2: no version tag
        }
        Map<String, String> dkim = new LinkedHashMap<>();
        dkim.put("v", "1");
        ok.value().forEach((tag, v) -> {
            if (!tag.equals("i")) {
                dkim.put(tag, v);
            }
        });
        return DkimSignature.fromTags(dkim);
    }

    /**
     * What an ARC-Seal signs (§5.1.1): the AAR, AMS and AS of every earlier instance in increasing order, then the
     * AAR and AMS of its own instance and its own AS with an empty b= and no final CRLF, all in relaxed form.
     */
    static byte[] sealedData(List<ArcSet> earlier, String results, String message, String seal) {
        StringBuilder s = new StringBuilder();
        for (ArcSet set : earlier) {
            s.append(relaxed(set.results().raw())).append(relaxed(set.messageField().raw()))
                    .append(relaxed(set.sealField().raw()));
        }
        s.append(relaxed(results)).append(relaxed(message));
        String own = relaxed(SignedHeaders.withoutSignature(seal));
        s.append(own, 0, own.length() - 2);
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String relaxed(String raw) {
        return Canonicalization.RELAXED.header(raw);
    }
}
