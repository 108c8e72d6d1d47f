package org.postwerk.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;

/**
 * Header text as a person reads it, for SEARCH (RFC 9051 §6.4.4) and SORT (RFC 5256): fields of a header block
 * unfolded, RFC 2047 encoded words decoded with mime4j in any charset the JDK knows (an unknown charset leaves
 * the word as written), RFC 2231 parameters decoded, and address lists written out as text.
 */
public final class HeaderText {
    /** One field of a header block: its name as written and its unfolded raw value. */
    public record Field(String name, String value) {
    }

    /** Fields read from one header block: beyond this a header is not searched further (bounded work). */
    static final int MAX_FIELDS = 10_000;

    private HeaderText() {
    }

    /** RFC 2047 encoded words decoded; raw 8-bit text was already read as UTF-8 (or ISO-8859-1). */
    public static String decode(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.indexOf("=?") < 0) {
            return raw;
        }
        try {
            return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
        } catch (RuntimeException e) {
            return raw; // a broken word is searched as written
        }
    }

    /** The fields of a header block (the octets from a part's header start to its body start). */
    public static List<Field> fields(byte[] header) {
        List<Field> fields = new ArrayList<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        int i = 0;
        while (i < header.length && fields.size() < MAX_FIELDS) {
            int end = i;
            while (end < header.length && header[end] != '\n') {
                end++;
            }
            int contentEnd = end > i && header[end - 1] == '\r' ? end - 1 : end;
            if (contentEnd == i) {
                break;
            }
            String line = HeaderCollector.decode(java.util.Arrays.copyOfRange(header, i, contentEnd));
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                if (name != null) {
                    value.append(line);
                }
            } else {
                if (name != null) {
                    fields.add(new Field(name, value.toString().stripLeading()));
                }
                int colon = line.indexOf(':');
                name = colon > 0 ? line.substring(0, colon).strip() : null;
                value.setLength(0);
                if (name != null) {
                    value.append(line, colon + 1, line.length());
                }
            }
            i = end + 1;
        }
        if (name != null) {
            fields.add(new Field(name, value.toString().stripLeading()));
        }
        return fields;
    }

    /** The decoded values of all fields of that name (case-insensitive), for SEARCH HEADER. */
    public static List<String> values(List<Field> fields, String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name().equalsIgnoreCase(name)) {
                out.add(decode(f.value()));
            }
        }
        return out;
    }

    /**
     * An address list as text: "Display Name <mailbox@host>" joined with ", ", names decoded (RFC 2047), for
     * SEARCH FROM/TO/CC/BCC: a search string matches the name or the address.
     */
    public static String addresses(String raw) {
        StringBuilder b = new StringBuilder();
        for (Address a : Address.parseList(raw)) {
            if (a.isGroupEnd()) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(", ");
            }
            if (a.isGroupStart()) {
                b.append(decode(a.mailbox())).append(':');
            } else if (a.name() != null) {
                b.append(decode(a.name())).append(" <").append(a.addrSpec()).append('>');
            } else {
                b.append(a.addrSpec());
            }
        }
        return b.toString();
    }

    /** A parameter value decoded (RFC 2231 continuations and charset), e.g. an attachment's file name. */
    public static String param(List<ContentInfo.Param> params, String name) {
        String v = Rfc2231.decoded(params).get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : decode(v);
    }
}
