package org.postwerk.dane;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The DNS names a certificate presents, and RFC 6125 §6.4 matching, for the DANE-TA name check. */
final class HostNames {
    private HostNames() {}

    /** subjectAltName dNSNames; only when there are none, the subject's CN (RFC 7672 §3.2.3). */
    static List<String> of(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            var sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(normal(String.valueOf(san.get(1))));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        if (out.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        out.add(normal(String.valueOf(rdn.getValue())));
                    }
                }
            } catch (InvalidNameException e) {
                return List.of();
            }
        }
        return out;
    }

    /** {@code *.example.com} matches one whole leftmost label only (RFC 6125 §6.4.3). */
    static boolean matches(String presented, String reference) {
        String ref = normal(reference);
        if (presented.startsWith("*.")) {
            int dot = ref.indexOf('.');
            return dot > 0 && ref.substring(dot + 1).equals(presented.substring(2));
        }
        return presented.equals(ref);
    }

    static String normal(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
