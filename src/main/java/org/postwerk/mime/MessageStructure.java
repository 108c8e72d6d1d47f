package org.postwerk.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * A parsed message: its envelope and its top-level entity (which starts at offset 0 for a whole message, or at
 * the body of the enclosing message/rfc822 part for an embedded one). Immutable; cache it with
 * {@link StructureCodec} so FETCH does not parse again.
 */
public record MessageStructure(Envelope envelope, Part root) {

    /** Parses a message in its CRLF wire form in one bounded pass (see {@link MimeParser}). */
    public static MessageStructure parse(InputStream message) throws IOException {
        return new MimeParser(message, MimeParser.Limits.DEFAULT).parse();
    }

    /** The whole message's size in octets. */
    public long size() {
        return root.bodyEnd() - root.headerStart();
    }
}
