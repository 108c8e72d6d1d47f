package org.postwerk.mime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** SORT (RFC 5256 §3) with the DISPLAYFROM and DISPLAYTO keys of RFC 5957. */
public final class Sort {
    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    /** One sort criterion: a key, optionally preceded by REVERSE. */
    public record Criterion(Key key, boolean reverse) {
    }

    private Sort() {
    }

    /**
     * The messages ordered by the criteria; the list is given in mailbox order, and messages equal by every
     * criterion stay in it (RFC 5256 §3: ties are broken by sequence number; the sort is stable).
     */
    public static List<MessageSummary> sort(List<MessageSummary> messages, List<Criterion> criteria) {
        Comparator<MessageSummary> order = (a, b) -> 0;
        for (Criterion c : criteria) {
            Comparator<MessageSummary> one = comparator(c.key());
            order = order.thenComparing(c.reverse() ? one.reversed() : one);
        }
        List<MessageSummary> out = new ArrayList<>(messages);
        out.sort(order);
        return out;
    }

    private static Comparator<MessageSummary> comparator(Key key) {
        return switch (key) {
            case ARRIVAL -> Comparator.comparing(MessageSummary::arrival);
            case DATE -> Comparator.comparing(MessageSummary::sent);
            case SIZE -> Comparator.comparingLong(MessageSummary::size);
            case SUBJECT -> Comparator.comparing(m -> m.subject().key());
            case FROM -> Comparator.comparing(MessageSummary::from);
            case TO -> Comparator.comparing(MessageSummary::to);
            case CC -> Comparator.comparing(MessageSummary::cc);
            case DISPLAYFROM -> Comparator.comparing(MessageSummary::displayFrom);
            case DISPLAYTO -> Comparator.comparing(MessageSummary::displayTo);
        };
    }
}
