package org.postwerk.auth.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.postwerk.auth.dkim.DkimSignature;
import org.postwerk.auth.dkim.HeaderFields;
import org.postwerk.auth.dkim.Parsed;

/**
 * The ARC sets of a header, checked for form before any DNS or crypto (RFC 8617 §5.2 steps 1 to 3): none at all,
 * broken (with the reason), or a well-formed chain of instances 1..N.
 */
sealed interface ArcChain {
    /** No ARC header field: arc=none. */
    record None() implements ArcChain {}

    /**
     * A chain that fails on its form alone.
     *
     * @param highest      the highest instance number seen (0 if none could be read)
     * @param markedFailed the highest ARC-Seal says cv=fail: §5.1.2 forbids adding a set after it
     */
    record Broken(String reason, int highest, boolean markedFailed) implements ArcChain {}

    /** A well-formed chain; {@code sets.get(k)} is instance {@code k + 1}. */
    record Sets(List<ArcSet> sets) implements ArcChain {
        public Sets {
            sets = List.copyOf(sets);
        }

        int highest() {
            return sets.size();
        }
    }

    static ArcChain of(HeaderFields headers) {
        TreeMap<Integer, HeaderFields.Field[]> byInstance = new TreeMap<>();
        List<String> kinds = List.of(ArcSet.AAR, ArcSet.AMS, ArcSet.AS);
        String duplicate = null;
        for (HeaderFields.Field field : headers.fields()) {
            int kind = indexOf(kinds, field);
            if (kind < 0) {
                continue;
            }
            int instance = ArcSet.instanceOf(field);
            if (instance < 1 || instance > ArcSet.MAX_INSTANCES) {
                return new Broken("bad instance in " + field.name(), 0, false); // §4.2.1: 1 to 50
            }
            HeaderFields.Field[] set = byInstance.computeIfAbsent(instance, i -> new HeaderFields.Field[3]);
            if (set[kind] != null && duplicate == null) {
                duplicate = "two " + kinds.get(kind) + " with i=" + instance; // §4.2.1: exactly one of each
            }
            set[kind] = field;
        }
        if (byInstance.isEmpty()) {
            return new None();
        }
        int highest = byInstance.lastKey();
        HeaderFields.Field top = byInstance.lastEntry().getValue()[2];
        if (top != null && ArcSeal.parse(top.value()) instanceof Parsed.Ok<ArcSeal> ok
                && ok.value().cv() == ArcResult.Status.FAIL) {
            return new Broken("ARC-Seal i=" + highest + " says cv=fail", highest, true); // §5.2 step 2
        }
        if (duplicate != null) {
            return new Broken(duplicate, highest, false);
        }
        return sets(byInstance, highest);
    }

    private static ArcChain sets(TreeMap<Integer, HeaderFields.Field[]> byInstance, int highest) {
        List<ArcSet> sets = new ArrayList<>();
        for (int i = 1; i <= highest; i++) {
            HeaderFields.Field[] f = byInstance.get(i);
            if (f == null || f[0] == null || f[1] == null || f[2] == null) {
                return new Broken("incomplete or missing ARC set i=" + i, highest, false); // §5.2 step 3
            }
            Parsed<DkimSignature> message = ArcSet.parseMessageSignature(f[1].value());
            if (message instanceof Parsed.Invalid<DkimSignature> bad) {
                return new Broken("AMS i=" + i + ": " + bad.reason(), highest, false);
            }
            Parsed<ArcSeal> seal = ArcSeal.parse(f[2].value());
            if (seal instanceof Parsed.Invalid<ArcSeal> bad) {
                return new Broken("AS i=" + i + ": " + bad.reason(), highest, false);
            }
            ArcResult.Status cv = ((Parsed.Ok<ArcSeal>) seal).value().cv();
            ArcResult.Status expected = i == 1 ? ArcResult.Status.NONE : ArcResult.Status.PASS;
            if (cv != expected) { // §5.2 step 3: i=1 must say none, every later one pass
                return new Broken("AS i=" + i + " has cv=" + cv.keyword(), highest, false);
            }
            sets.add(new ArcSet(i, f[0], f[1], f[2], ((Parsed.Ok<DkimSignature>) message).value(),
                    ((Parsed.Ok<ArcSeal>) seal).value()));
        }
        return new Sets(sets);
    }

    private static int indexOf(List<String> kinds, HeaderFields.Field field) {
        for (int k = 0; k < kinds.size(); k++) {
            if (field.is(kinds.get(k))) {
                return k;
            }
        }
        return -1;
    }
}
