package org.postwerk.mime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * THREAD=ORDEREDSUBJECT and THREAD=REFERENCES (RFC 5256 §3) over message summaries in mailbox order, and the
 * THREAD response syntax (RFC 5256 §4). A node without a message is a dummy: the parent that a References
 * field names but that is not in the mailbox.
 */
public final class Threads {
    /** One node of a thread tree; {@code message} is null for a dummy. */
    public record Node(MessageSummary message, List<Node> children) {
        static Node of(MessageSummary m) {
            return new Node(m, new ArrayList<>());
        }
    }

    private Threads() {
    }

    /**
     * ORDEREDSUBJECT: messages grouped by base subject, each group in sent-date order with the first message as
     * the parent of all the others; the threads ordered by the sent date of their first message.
     */
    public static List<Node> orderedSubject(List<MessageSummary> messages) {
        Map<String, List<MessageSummary>> groups = new LinkedHashMap<>();
        for (MessageSummary m : Sort.sort(messages, List.of(new Sort.Criterion(Sort.Key.SUBJECT, false),
                new Sort.Criterion(Sort.Key.DATE, false)))) {
            groups.computeIfAbsent(m.subject().key(), k -> new ArrayList<>()).add(m);
        }
        List<Node> threads = new ArrayList<>();
        for (List<MessageSummary> group : groups.values()) {
            Node parent = Node.of(group.get(0));
            for (MessageSummary child : group.subList(1, group.size())) {
                parent.children().add(Node.of(child));
            }
            threads.add(parent);
        }
        Map<MessageSummary, Integer> position = positions(messages);
        threads.sort(Comparator.comparing((Node n) -> n.message().sent()).thenComparing(n -> position.get(n.message())));
        return threads;
    }

    /** REFERENCES (RFC 5256 §3), the JWZ algorithm; see {@link ReferencesThreading}. */
    public static List<Node> references(List<MessageSummary> messages) {
        return new ReferencesThreading(messages).threads();
    }

    /** The THREAD response data: "(1)(2 3 (4)(5))" (RFC 5256 §4). */
    public static String format(List<Node> threads) {
        StringBuilder b = new StringBuilder();
        for (Node n : threads) {
            list(b, n);
        }
        return b.toString();
    }

    private static void list(StringBuilder b, Node n) {
        b.append('(');
        members(b, n);
        b.append(')');
    }

    /** thread-members = nz-number *(SP nz-number) [SP thread-nested]; a dummy is a thread-nested alone. */
    private static void members(StringBuilder b, Node n) {
        if (n.message() == null) {
            for (Node c : n.children()) {
                list(b, c);
            }
            return;
        }
        b.append(n.message().number());
        while (n.children().size() == 1 && n.children().get(0).message() != null) {
            n = n.children().get(0);
            b.append(' ').append(n.message().number());
        }
        if (!n.children().isEmpty()) {
            b.append(' ');
            if (n.children().size() == 1) {
                list(b, n.children().get(0)); // a lone dummy child cannot remain after pruning; kept valid anyway
            } else {
                for (Node c : n.children()) {
                    list(b, c);
                }
            }
        }
    }

    /** The position of each message in mailbox order, to break ties of equal sent dates (RFC 5256 §2.2). */
    static Map<MessageSummary, Integer> positions(List<MessageSummary> messages) {
        Map<MessageSummary, Integer> pos = new HashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            pos.putIfAbsent(messages.get(i), i);
        }
        return pos;
    }
}
