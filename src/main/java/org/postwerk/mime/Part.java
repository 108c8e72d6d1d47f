package org.postwerk.mime;

import java.util.List;

/**
 * One MIME entity with its octet offsets in the message's CRLF form: the header runs from {@code headerStart} to
 * {@code bodyStart} (including the blank line), the body from {@code bodyStart} to {@code bodyEnd}. Inside a
 * multipart the CRLF before a boundary belongs to the boundary (RFC 2046 §5.1.1), not to the body.
 * {@code bodyLines} counts the body's lines (RFC 9051 §7.5.2 body-fld-lines).
 */
public record Part(long headerStart, long bodyStart, long bodyEnd, long bodyLines, ContentInfo content, Body body) {

    /** What the body holds: content, further parts, or a whole message (message/rfc822). */
    public sealed interface Body permits Leaf, Multipart, Embedded {
    }

    public enum Leaf implements Body {
        INSTANCE
    }

    /** The body parts of a multipart, in order; never empty once parsed (an empty multipart gets one empty
     *  text part at the end of its body). */
    public record Multipart(List<Part> parts) implements Body {
        public Multipart {
            parts = List.copyOf(parts);
        }
    }

    /** The message that is the body of a message/rfc822 part (RFC 2046 §5.2.1). */
    public record Embedded(MessageStructure message) implements Body {
    }

    /** Octets of the body (RFC 9051 body-fld-octets). */
    public long size() {
        return bodyEnd - bodyStart;
    }

    public long headerSize() {
        return bodyStart - headerStart;
    }
}
