package org.postwerk.dane;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import org.xbill.DNS.TLSARecord;

/**
 * One TLSA record (RFC 6698 §2.1): certificate usage, selector, matching type and the association data.
 *
 * @param usage    0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE (RFC 7218 names)
 * @param selector 0 the full certificate, 1 its SubjectPublicKeyInfo
 * @param matching 0 exact bytes, 1 SHA-256, 2 SHA-512
 */
public record Tlsa(int usage, int selector, int matching, byte[] data) {
    public static final int DANE_TA = 2;
    public static final int DANE_EE = 3;

    public Tlsa {
        data = data.clone();
    }

    public static Tlsa of(TLSARecord r) {
        return new Tlsa(r.getCertificateUsage(), r.getSelector(), r.getMatchingType(),
                r.getCertificateAssociationData());
    }

    /**
     * RFC 7672 §3.1.3: PKIX-TA(0) and PKIX-EE(1) are unusable for SMTP (no CA set to agree on); so are unknown
     * selectors and matching types (RFC 6698 §4.1). A DANE-TA(2) record with selector 1 names a key that must
     * be in the chain the server sends, which {@link #matches} only finds there, so it stays usable.
     */
    public boolean usable() {
        return (usage == DANE_TA || usage == DANE_EE) && (selector == 0 || selector == 1)
                && matching >= 0 && matching <= 2;
    }

    /**
     * The DANE-EE record pinning {@code certificate}'s public key: {@code 3 1 1} with the SHA-256 of its
     * SubjectPublicKeyInfo, the form RFC 7671 §5.1 recommends (it survives a renewal that keeps the key).
     */
    public static Tlsa daneEe(X509Certificate certificate) {
        return new Tlsa(DANE_EE, 1, 1, digest(1, certificate.getPublicKey().getEncoded()));
    }

    /** Whether {@code certificate} is the one this record names (its full DER or its SPKI, hashed as asked). */
    public boolean matches(X509Certificate certificate) {
        try {
            byte[] selected = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
            return MessageDigest.isEqual(digest(matching, selected), data);
        } catch (CertificateEncodingException e) {
            return false;
        }
    }

    /** The association data for {@code selected} bytes under a matching type (0 the bytes themselves). */
    public static byte[] digest(int matching, byte[] selected) {
        try {
            return switch (matching) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> new byte[0];
            };
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + matching, e);
        }
    }

    /** RFC 6698 §2.2 presentation form, e.g. {@code 3 1 1 ab12...} (TLS-RPT policy-string, logs). */
    public String presentation() {
        return usage + " " + selector + " " + matching + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matching == matching
                && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data) * 31 + usage * 100 + selector * 10 + matching;
    }

    @Override
    public String toString() {
        return presentation();
    }
}
