package org.postwerk.sts;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.DOMAIN} TXT record (RFC 8461 §3.1): only its {@code id} matters, the policy instance the
 * sender compares with its cached one.
 */
public record StsRecord(String id) {
    /** RFC 8461 §3.1: {@code sts-id = %s"id=" 1*32(ALPHA / DIGIT)}. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}");
    /** {@code sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)}: visible ASCII without ";" and "=". */
    private static final Pattern EXT_VALUE = Pattern.compile("[\\x21-\\x3A\\x3C\\x3E-\\x7E]+");

    /**
     * RFC 8461 §3.1: of the TXT records at {@code _mta-sts.DOMAIN}, those not beginning with {@code v=STSv1;}
     * are discarded; unless exactly one remains and it parses, the domain has no policy available.
     */
    public static Optional<StsRecord> discover(List<String> txt) {
        List<String> sts = txt.stream().filter(t -> t.startsWith("v=STSv1;")).toList();
        return sts.size() == 1 ? parse(sts.getFirst()) : Optional.empty();
    }

    /**
     * Strict RFC 8461 §3.1 syntax: {@code v=STSv1} first, then fields separated by ";" with optional spaces or
     * tabs around it, an optional trailing ";"; {@code id} exactly once (a second one makes the record invalid:
     * two ids cannot both name the policy), extensions well-formed and ignored.
     */
    public static Optional<StsRecord> parse(String text) {
        String body = text.endsWith(";") ? text.substring(0, text.length() - 1) : text;
        String[] fields = body.split("[ \\t]*;[ \\t]*", -1);
        if (!fields[0].equals("v=STSv1") || fields.length < 2) {
            return Optional.empty();
        }
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String f = fields[i];
            int eq = f.indexOf('=');
            if (eq < 0) {
                return Optional.empty();
            }
            String name = f.substring(0, eq);
            String value = f.substring(eq + 1);
            if (name.equals("id")) {
                if (id != null || !ID.matcher(value).matches()) {
                    return Optional.empty();
                }
                id = value;
            } else if (!EXT_NAME.matcher(name).matches() || !EXT_VALUE.matcher(value).matches()) {
                return Optional.empty();
            }
        }
        return Optional.ofNullable(id).map(StsRecord::new);
    }
}
