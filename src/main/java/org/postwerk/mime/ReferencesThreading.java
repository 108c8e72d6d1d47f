package org.postwerk.mime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REFERENCES threading algorithm of RFC 5256 §3, step by step: (1) link messages by their References
 * (or In-Reply-To) into containers, (2) take the root set, (4) prune dummies, (5) sort the roots by sent date,
 * (6) merge roots with the same base subject, (7) sort every set of siblings by sent date, ties by mailbox order.
 * One instance per THREAD command; work is linear in the number of references (bounded per message).
 */
final class ReferencesThreading {
    private static final class Container {
        MessageSummary message;
        Container parent;
        final List<Container> children = new ArrayList<>();

        boolean isAncestorOf(Container c) {
            for (Container p = c; p != null; p = p.parent) {
                if (p == this) {
                    return true;
                }
            }
            return false;
        }

        void unlink() {
            if (parent != null) {
                parent.children.remove(this);
                parent = null;
            }
        }
    }

    private final List<MessageSummary> messages;
    private final Map<MessageSummary, Integer> position;
    private final Map<String, Container> byId = new HashMap<>();

    ReferencesThreading(List<MessageSummary> messages) {
        this.messages = messages;
        this.position = Threads.positions(messages);
    }

    List<Threads.Node> threads() {
        for (MessageSummary m : messages) {
            link(m);
        }
        // (2) the root set: containers without a parent, dummies included (every container is in byId).
        List<Container> roots = new ArrayList<>();
        for (Container c : byId.values()) {
            if (c.parent == null) {
                roots.add(c);
            }
        }
        roots = prune(roots, true);
        sortSiblings(roots);
        roots = mergeBySubject(roots);
        sortTree(roots);
        List<Threads.Node> out = new ArrayList<>();
        for (Container c : roots) {
            out.add(node(c));
        }
        return out;
    }

    /** (1) A container for the message, linked below its references. */
    private void link(MessageSummary m) {
        Container self = m.messageId() == null ? null : byId.get(m.messageId());
        if (self == null || self.message != null) {
            // A new id, or a duplicate Message-ID: the duplicate gets a container of its own (RFC 5256 §3 1.A).
            Container fresh = new Container();
            if (self == null && m.messageId() != null) {
                byId.put(m.messageId(), fresh);
            } else {
                byId.put("\0" + position.get(m), fresh); // unique key, never a real msg-id
            }
            self = fresh;
        }
        self.message = m;
        Container previous = null;
        for (String id : m.references()) {
            Container c = byId.computeIfAbsent(id, k -> new Container());
            // (1.A) link each reference to the next, unless one already has a parent or it would make a loop.
            if (previous != null && c.parent == null && !c.isAncestorOf(previous)) {
                c.parent = previous;
                previous.children.add(c);
            }
            previous = c;
        }
        // (1.B) the last reference is the message's parent, replacing any link made before; no loops.
        if (previous != null && (previous == self || self.isAncestorOf(previous))) {
            previous = null;
        }
        self.unlink();
        if (previous != null) {
            self.parent = previous;
            previous.children.add(self);
        }
    }

    /** (4) Dummies without children go; a dummy's children move up, except at the root when there are several. */
    private List<Container> prune(List<Container> level, boolean root) {
        List<Container> out = new ArrayList<>();
        for (Container c : level) {
            List<Container> kids = prune(new ArrayList<>(c.children), false);
            c.children.clear();
            c.children.addAll(kids);
            kids.forEach(k -> k.parent = c);
            if (c.message == null) {
                if (kids.isEmpty()) {
                    continue;
                }
                if (!root || kids.size() == 1) {
                    kids.forEach(k -> k.parent = root ? null : c.parent);
                    out.addAll(kids);
                    continue;
                }
            }
            out.add(c);
        }
        return out;
    }

    /** (6) Roots with the same base subject become one thread. */
    private List<Container> mergeBySubject(List<Container> roots) {
        Map<String, Container> table = new LinkedHashMap<>();
        for (Container c : roots) {
            BaseSubject s = subject(c);
            if (s.key().isEmpty()) {
                continue;
            }
            Container old = table.get(s.key());
            if (old == null || old.message != null && c.message == null
                    || old.message != null && c.message != null && subject(old).replyOrForward()
                    && !s.replyOrForward()) {
                table.put(s.key(), c);
            }
        }
        // The roots in any order: they are sorted again in step 7.
        Set<Container> out = new LinkedHashSet<>();
        for (Container c : roots) {
            BaseSubject s = subject(c);
            Container entry = s.key().isEmpty() ? null : table.get(s.key());
            if (entry == null || entry == c) {
                out.add(c);
                continue;
            }
            if (entry.message == null && c.message == null) {
                c.children.forEach(k -> k.parent = entry);
                entry.children.addAll(c.children);
            } else if (entry.message == null) {
                adopt(entry, c);
            } else if (c.message == null) {
                adopt(c, entry);
                out.remove(entry);
                table.put(s.key(), c);
                out.add(c);
            } else if (s.replyOrForward() && !subject(entry).replyOrForward()) {
                adopt(entry, c);
            } else {
                Container dummy = new Container();
                adopt(dummy, entry);
                adopt(dummy, c);
                out.remove(entry);
                out.add(dummy);
                table.put(s.key(), dummy);
            }
        }
        return new ArrayList<>(out);
    }

    private static void adopt(Container parent, Container child) {
        child.parent = parent;
        parent.children.add(child);
    }

    /** The subject of a root: its message's, or for a dummy, its first child's (RFC 5256 §3 step 6.B). */
    private BaseSubject subject(Container c) {
        Container m = c;
        while (m.message == null && !m.children.isEmpty()) {
            m = m.children.get(0);
        }
        return m.message == null ? new BaseSubject("", false) : m.message.subject();
    }

    private void sortTree(List<Container> level) {
        sortSiblings(level);
        for (Container c : level) {
            sortTree(c.children);
        }
    }

    /** (5)/(7) Siblings by sent date, a dummy by its first child's date, ties by mailbox order. */
    private void sortSiblings(List<Container> level) {
        for (Container c : level) {
            if (c.message == null) {
                sortSiblings(c.children);
            }
        }
        level.sort(Comparator.comparing(this::date).thenComparing(this::rank));
    }

    private Instant date(Container c) {
        Container m = c;
        while (m.message == null && !m.children.isEmpty()) {
            m = m.children.get(0);
        }
        return m.message == null ? Instant.MIN : m.message.sent();
    }

    private int rank(Container c) {
        Container m = c;
        while (m.message == null && !m.children.isEmpty()) {
            m = m.children.get(0);
        }
        return m.message == null ? -1 : position.get(m.message);
    }

    private static Threads.Node node(Container c) {
        Threads.Node n = new Threads.Node(c.message, new ArrayList<>());
        for (Container k : c.children) {
            n.children().add(node(k));
        }
        return n;
    }
}
