package org.postwerk.tls;

import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate chain (leaf first) and the private key of its leaf, as served in one handshake, with the DNS
 * names it answers for.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key, List<String> names) {
    public CertifiedKey {
        chain = List.copyOf(chain);
        Objects.requireNonNull(key);
        names = List.copyOf(names);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty chain");
        }
    }

    /** With the names of the leaf: its DNS subject alternative names, else its common name (RFC 6125 §6.4.4). */
    public static CertifiedKey of(List<X509Certificate> chain, PrivateKey key) {
        return new CertifiedKey(chain, key, names(chain.get(0)));
    }

    /**
     * The chain and then the key, PEM, in one text: a single file replaced in one rename, so a reader never sees
     * a new certificate with the old key ({@link PemCertificate} reads both from it).
     */
    public byte[] pem() throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (X509Certificate c : chain) {
            out.write(PemFiles.encode(c));
        }
        out.write(PemFiles.encodeKey(key));
        return out.toByteArray();
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    /**
     * Whether this certificate answers for {@code host}: one of its names equal to it, or a wildcard
     * {@code *.example.org} standing for exactly one left-most label (RFC 6125 §6.4.3).
     */
    public boolean answersFor(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (name.equals(h)) {
                return true;
            }
            int dot = h.indexOf('.');
            if (name.startsWith("*.") && dot > 0 && h.substring(dot + 1).equals(name.substring(2))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> names(X509Certificate leaf) {
        List<String> out = new ArrayList<>();
        try {
            var alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> entry : alternatives) {
                    if (entry.get(0) instanceof Integer type && type == 2) { // dNSName
                        out.add(String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // no usable alternative names: fall back to the common name
        }
        if (out.isEmpty()) {
            String dn = leaf.getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (String part : dn.split(",")) {
                if (part.startsWith("CN=")) {
                    out.add(part.substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return out;
    }
}
