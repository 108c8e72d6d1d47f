package org.postwerk.mime;

import java.util.List;

/**
 * Finds what a section specifier addresses (RFC 9051 §6.4.5), from the cached structure alone: an octet range
 * of the message to send as is, or a header block to filter (HEADER.FIELDS). The session reads the octets.
 *
 * <p>Part numbers: the parts of a multipart are numbered from 1; a message that is not multipart has one part,
 * 1, its body. A message/rfc822 part N has the parts of its encapsulated message below it (N.1 ...), and N.HEADER,
 * N.TEXT and N.HEADER.FIELDS address that message. N.MIME is the MIME header of part N itself.
 */
public final class Sections {
    private Sections() {
    }

    /** What a section addresses. */
    public sealed interface Located permits Range, HeaderFields, Missing {
    }

    /** Octets [start, end) of the message, sent as they are. */
    public record Range(long start, long end) implements Located {
        public long length() {
            return end - start;
        }

        /** RFC 9051 §6.4.5 partial {@code <origin.count>}: past the end gives an empty range. */
        public Range partial(long origin, long count) {
            long s = Math.min(end, start + origin);
            return new Range(s, Math.min(end, s + count));
        }
    }

    /** The header block [start, end) to be filtered by {@link #filterHeader}. */
    public record HeaderFields(Range header, List<String> names, boolean not) implements Located {
    }

    /** No such part, or HEADER/TEXT of a part that is not a message: an empty string (as Dovecot answers). */
    public record Missing() implements Located {
    }

    public static Located locate(MessageStructure message, Section section) {
        if (section.path().isEmpty()) {
            return resolve(message, null, section);
        }
        Part part = part(message, section.path());
        return part == null ? new Missing() : resolve(message, part, section);
    }

    /** The part a non-empty path addresses, or null when there is none. */
    static Part part(MessageStructure message, List<Integer> path) {
        Part part = null;
        MessageStructure context = message;
        for (int n : path) {
            Part container;
            boolean isMessage = true; // the container is a message (the top one or an encapsulated one)
            if (part == null) {
                container = context.root();
            } else if (part.body() instanceof Part.Embedded em) {
                context = em.message();
                container = context.root();
            } else {
                container = part;
                isMessage = false;
            }
            if (container.body() instanceof Part.Multipart mp) {
                if (n < 1 || n > mp.parts().size()) {
                    return null;
                }
                part = mp.parts().get(n - 1);
            } else if (n == 1 && isMessage) {
                part = container; // part 1 of a message that is not multipart: its body
            } else if (n == 1 && container != context.root()) {
                // N.1 of a leaf part N of a multipart: RFC 9051 §6.4.5 defines no such part; Dovecot answers with
                // part N itself, and we do the same so that both servers agree.
                part = container;
            } else {
                return null;
            }
        }
        return part;
    }

    private static Located resolve(MessageStructure message, Part part, Section section) {
        if (section.kind() == Section.Kind.MIME) {
            return part == null ? new Missing() : new Range(part.headerStart(), part.bodyStart());
        }
        if (section.kind() == Section.Kind.ALL) {
            Part p = part == null ? message.root() : part;
            return part == null ? new Range(p.headerStart(), p.bodyEnd()) : new Range(p.bodyStart(), p.bodyEnd());
        }
        MessageStructure target;
        if (part == null) {
            target = message;
        } else if (part.body() instanceof Part.Embedded em) {
            target = em.message();
        } else {
            return new Missing();
        }
        Part root = target.root();
        Range header = new Range(root.headerStart(), root.bodyStart());
        return switch (section.kind()) {
            case HEADER -> header;
            case TEXT -> new Range(root.bodyStart(), root.bodyEnd());
            case HEADER_FIELDS -> new HeaderFields(header, section.fields(), false);
            case HEADER_FIELDS_NOT -> new HeaderFields(header, section.fields(), true);
            case ALL, MIME -> throw new AssertionError(section.kind());
        };
    }

    /**
     * The fields of a header block whose names are (or with {@code not}, are not) in {@code names}, compared
     * case-insensitively, each with its continuation lines, followed by the blank line (RFC 9051 §6.4.5: "the
     * returned header ... includes the blank line"). As in Dovecot, a line that is not a field counts as a field
     * named by the whole line (so HEADER.FIELDS.NOT keeps it), and HEADER.FIELDS.NOT of a header that has no
     * blank line (a message without body) returns none.
     */
    public static byte[] filterHeader(byte[] header, List<String> names, boolean not) {
        return HeaderBlock.of(header).filter(HeaderBlock.Names.of(names), not);
    }
}
