package org.postwerk.mime;

import java.util.List;

/**
 * A FETCH section specifier (RFC 9051 §6.4.5): a part path such as 1.2.3 (empty for the whole message) and
 * what of it: the whole part, HEADER, HEADER.FIELDS (list), HEADER.FIELDS.NOT (list), TEXT or MIME.
 * {@code fields} is used only by the two HEADER.FIELDS kinds.
 */
public record Section(List<Integer> path, Kind kind, List<String> fields) {
    public enum Kind { ALL, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    public Section {
        path = List.copyOf(path);
        fields = List.copyOf(fields);
    }

    public static Section of(Kind kind, Integer... path) {
        return new Section(List.of(path), kind, List.of());
    }

    public static Section whole() {
        return of(Kind.ALL);
    }
}
