package org.postwerk.auth.dmarc;

import java.net.IDN;
import java.util.Locale;

/** Domain name comparison form: lower-case A-labels without a trailing dot. */
final class Domains {
    private Domains() {}

    /** The comparison form of a name; a name that IDNA cannot convert is only lower-cased (it cannot match). */
    static String normalize(String domain) {
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            return IDN.toASCII(d, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return d.toLowerCase(Locale.ROOT);
        }
    }
}
