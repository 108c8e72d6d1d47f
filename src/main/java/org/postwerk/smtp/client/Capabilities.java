package org.postwerk.smtp.client;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.postwerk.smtp.Reply;

/** The extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1), keyword upper-case to parameters. */
public record Capabilities(Map<String, String> keywords) {
    public static final Capabilities NONE = new Capabilities(Map.of());

    public Capabilities {
        keywords = Map.copyOf(keywords);
    }

    /** Parses the EHLO reply: the first line is the greeting, each further line one keyword and its params. */
    public static Capabilities parse(Reply ehlo) {
        Map<String, String> m = new HashMap<>();
        List<String> lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int sp = line.indexOf(' ');
            String key = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
            if (!key.isEmpty()) {
                m.put(key, sp < 0 ? "" : line.substring(sp + 1).strip());
            }
        }
        return new Capabilities(m);
    }

    public boolean has(String keyword) {
        return keywords.containsKey(keyword);
    }

    /** SIZE limit (RFC 1870 §4); empty when not announced or unlimited (0). */
    public OptionalLong size() {
        try {
            long v = Long.parseLong(keywords.getOrDefault("SIZE", "0").strip());
            return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The SASL mechanisms offered (RFC 4954 §3), upper-case. */
    public List<String> authMechanisms() {
        String v = keywords.get("AUTH");
        return v == null ? List.of() : List.of(v.toUpperCase(Locale.ROOT).split("\\s+"));
    }
}
