package org.postwerk.mime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.james.mime4j.util.MimeParameterMapping;

/**
 * RFC 2231 parameter continuations ({@code name*0=...; name*1*=...}). For BODYSTRUCTURE the segments are joined
 * but left encoded, as Dovecot does: a parameter with any extended segment becomes {@code name*} with the value
 * {@code charset'lang'percent-encoded}, plain segments joined become {@code name}; these follow the ordinary
 * parameters, sorted by name. Clients decode them (RFC 9051 §7.5.2 passes parameters through). For SEARCH and
 * display, {@link #decoded} decodes them with mime4j.
 */
final class Rfc2231 {
    private Rfc2231() {
    }

    static List<ContentInfo.Param> joined(List<ContentInfo.Param> params) {
        if (params.stream().noneMatch(p -> p.name().indexOf('*') > 0)) {
            return params; // the usual case, without allocating
        }
        List<ContentInfo.Param> plain = new ArrayList<>();
        // name (lower case) -> index -> segment; the name as first written is kept for output.
        Map<String, TreeMap<Integer, ContentInfo.Param>> segments = new TreeMap<>();
        Map<String, String> spelling = new LinkedHashMap<>();
        for (ContentInfo.Param p : params) {
            int star = p.name().indexOf('*');
            if (star <= 0) {
                plain.add(p);
                continue;
            }
            String base = p.name().substring(0, star);
            String rest = p.name().substring(star + 1);
            int index = 0;
            if (!rest.isEmpty() && !rest.equals("*")) {
                String digits = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
                try {
                    index = Integer.parseInt(digits);
                } catch (NumberFormatException e) {
                    plain.add(p);
                    continue;
                }
            }
            String key = base.toLowerCase(java.util.Locale.ROOT);
            spelling.putIfAbsent(key, base);
            segments.computeIfAbsent(key, k -> new TreeMap<>()).putIfAbsent(index, p);
        }
        List<ContentInfo.Param> out = new ArrayList<>(plain);
        for (var e : segments.entrySet()) {
            boolean extended = e.getValue().values().stream().anyMatch(p -> p.name().endsWith("*"));
            StringBuilder value = new StringBuilder();
            for (ContentInfo.Param seg : e.getValue().values()) {
                value.append(seg.value());
            }
            out.add(new ContentInfo.Param(spelling.get(e.getKey()) + (extended ? "*" : ""), value.toString()));
        }
        return out;
    }

    /** Parameter values decoded (continuations joined, charset applied), keyed by lower-case name. */
    static Map<String, String> decoded(List<ContentInfo.Param> params) {
        MimeParameterMapping m = new MimeParameterMapping();
        for (ContentInfo.Param p : params) {
            m.addParameter(p.name(), p.value());
        }
        return m.getParameters();
    }
}
