package org.postwerk.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;

/**
 * BINARY[section] and BINARY.SIZE[section] (RFC 3516, RFC 9051 §6.4.5): the content of a part with its
 * content-transfer-encoding removed. base64 and quoted-printable are decoded with mime4j's decoders, leniently
 * (garbage in base64 is skipped, as most readers do); 7bit, 8bit and binary pass as they are; anything else is
 * {@link Unknown}, which the session answers with {@code NO [UNKNOWN-CTE]} (RFC 3516 §4.3).
 */
public final class Binary {
    private Binary() {
    }

    public sealed interface Target permits Content, Unknown, Missing {
    }

    /** The octets [start, end) of the message, to be decoded with {@code encoding} (null: none). */
    public record Content(Sections.Range range, String encoding) implements Target {
    }

    public record Unknown(String encoding) implements Target {
    }

    /** No such part, or a section with HEADER/TEXT/MIME (only part numbers are allowed, RFC 3516 §4.1). */
    public record Missing() implements Target {
    }

    /** Where the content of the section is and how to decode it. */
    public static Target locate(MessageStructure message, List<Integer> path) {
        Sections.Located located = Sections.locate(message, new Section(path, Section.Kind.ALL, List.of()));
        if (!(located instanceof Sections.Range range)) {
            return new Missing();
        }
        if (path.isEmpty()) {
            return new Content(range, null); // the whole message as is
        }
        Part part = Sections.part(message, path);
        String encoding = part.content().effectiveEncoding();
        if (part.body() instanceof Part.Leaf) {
            return switch (encoding) {
                case "7bit", "8bit", "binary" -> new Content(range, null);
                case "base64", "quoted-printable" -> new Content(range, encoding);
                default -> new Unknown(part.content().encoding());
            };
        }
        return new Content(range, null); // multipart and message parts are never encoded (RFC 2045 §6.4)
    }

    /** Wraps the raw content in the decoder it needs. */
    public static InputStream decode(InputStream raw, String encoding) {
        if (encoding == null) {
            return raw;
        }
        return switch (encoding) {
            case "base64" -> new Base64InputStream(raw, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(raw, DecodeMonitor.SILENT);
            default -> throw new IllegalArgumentException("not a known encoding: " + encoding);
        };
    }

    /** Decoded octets copied to {@code out}; returns their number (BINARY.SIZE when {@code out} discards). */
    public static long copy(InputStream raw, String encoding, OutputStream out) throws IOException {
        try (InputStream in = decode(raw, encoding)) {
            return in.transferTo(out);
        }
    }
}
