package org.postwerk.imap;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A section-spec of BODY[...] (RFC 9051 §6.4.5): a part path ({@code 1.2}, empty for the whole message)
 * and what of it: everything, HEADER, HEADER.FIELDS (list), HEADER.FIELDS.NOT (list), TEXT, or MIME (only
 * after a part path).
 */
public record Section(List<Integer> part, Kind kind, List<String> fields) {
    public enum Kind { ALL, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    public static final Section WHOLE = new Section(List.of(), Kind.ALL, List.of());

    public Section {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
    }

    /** The section-spec as it goes back in the FETCH response, e.g. {@code 1.2.HEADER.FIELDS (FROM TO)}. */
    public String spec() {
        String path = part.stream().map(String::valueOf).collect(Collectors.joining("."));
        String text = switch (kind) {
            case ALL -> "";
            case HEADER -> "HEADER";
            case HEADER_FIELDS -> "HEADER.FIELDS " + fieldList();
            case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT " + fieldList();
            case TEXT -> "TEXT";
            case MIME -> "MIME";
        };
        return path.isEmpty() || text.isEmpty() ? path + text : path + "." + text;
    }

    private String fieldList() {
        return fields.stream().map(Section::astring).collect(Collectors.joining(" ", "(", ")"));
    }

    /** A field name as an atom when it can be one, else quoted (names are printable ASCII without ':'). */
    private static String astring(String s) {
        boolean atom = !s.isEmpty() && s.chars().allMatch(Syntax::isAstringChar);
        return atom ? s : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
