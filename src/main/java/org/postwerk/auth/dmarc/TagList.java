package org.postwerk.auth.dmarc;

import java.util.ArrayList;
import java.util.List;

/** Splits a tag-value list (RFC 7489 §6.4, the DKIM-style {@code tag=value; tag=value;} syntax). */
final class TagList {
    private TagList() {}

    /**
     * The tags in order as {name, value} pairs, whitespace around names and values removed. A term without
     * {@code =} or with an empty name is skipped; an empty term (a trailing or doubled {@code ;}) too.
     */
    static List<String[]> split(String text) {
        List<String[]> tags = new ArrayList<>();
        for (String term : text.split(";", -1)) {
            int eq = term.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = term.substring(0, eq).strip();
            if (name.isEmpty() || !name.matches("[A-Za-z][A-Za-z0-9_]*")) {
                continue;
            }
            tags.add(new String[] {name, term.substring(eq + 1).strip()});
        }
        return tags;
    }
}
