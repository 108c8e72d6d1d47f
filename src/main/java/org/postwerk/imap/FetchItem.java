package org.postwerk.imap;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One FETCH data item (RFC 9051 §6.4.5, RFC 3501's RFC822 items, BINARY of RFC 3516, MODSEQ of RFC 7162).
 * The macros ALL, FAST and FULL are expanded by the parser.
 */
public sealed interface FetchItem {
    enum Attribute {
        ENVELOPE, FLAGS, INTERNALDATE, RFC822_SIZE, UID, BODYSTRUCTURE, MODSEQ,
        /** BODY without a section: BODYSTRUCTURE without extension data. */
        BODY,
        /** RFC 3501: BODY[] under its old name; sets \Seen. */
        RFC822,
        /** RFC 3501: BODY.PEEK[HEADER] under its old name. */
        RFC822_HEADER,
        /** RFC 3501: BODY[TEXT] under its old name; sets \Seen. */
        RFC822_TEXT;

        /** The item name in the response, e.g. {@code RFC822.SIZE}. */
        public String wire() {
            return name().replace('_', '.');
        }
    }

    /** A {@code <offset.length>} partial request; the response names only the offset. */
    record Partial(long offset, long length) {}

    record Simple(Attribute attribute) implements FetchItem {}

    /** BODY[section]&lt;partial&gt;; {@code peek} for BODY.PEEK, which leaves \Seen alone. */
    record BodySection(Section section, boolean peek, Optional<Partial> partial) implements FetchItem {
        /** The item name in the response: {@code BODY[1.TEXT]<0>} (RFC 9051 §7.5.2). */
        public String responseName() {
            return "BODY[" + section.spec() + "]" + partial.map(p -> "<" + p.offset() + ">").orElse("");
        }
    }

    /** BINARY[part]&lt;partial&gt; (RFC 3516 §4.2): the part with its content-transfer-encoding undone. */
    record Binary(List<Integer> part, boolean peek, Optional<Partial> partial) implements FetchItem {
        public Binary {
            part = List.copyOf(part);
        }

        public String responseName() {
            return "BINARY[" + path(part) + "]" + partial.map(p -> "<" + p.offset() + ">").orElse("");
        }
    }

    /** BINARY.SIZE[part] (RFC 3516 §4.2). */
    record BinarySize(List<Integer> part) implements FetchItem {
        public BinarySize {
            part = List.copyOf(part);
        }

        public String responseName() {
            return "BINARY.SIZE[" + path(part) + "]";
        }
    }

    private static String path(List<Integer> part) {
        return part.stream().map(String::valueOf).collect(Collectors.joining("."));
    }
}
