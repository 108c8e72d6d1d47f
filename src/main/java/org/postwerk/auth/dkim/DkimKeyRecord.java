package org.postwerk.auth.dkim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.DERNull;

/**
 * A parsed DKIM key record, the TXT record at {@code selector._domainkey.domain} (RFC 6376 §3.6.1, RFC 8463 §4).
 *
 * @param keyType    k= (default rsa)
 * @param hashes     h=, acceptable hash algorithms, empty meaning all
 * @param publicKey  p=, decoded; empty when the key has been revoked
 * @param services   s=, default {@code *}
 * @param testing    t=y: the domain is testing DKIM
 * @param strict     t=s: the i= domain must be exactly d=
 */
public record DkimKeyRecord(Algorithm.KeyType keyType, List<String> hashes, byte[] publicKey, List<String> services,
                            boolean testing, boolean strict) {

    public DkimKeyRecord {
        hashes = List.copyOf(hashes);
        services = List.copyOf(services);
    }

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410 §4): the raw 32 key bytes follow it. */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    public static Parsed<DkimKeyRecord> parse(String text) {
        return switch (Tags.parse(text)) {
            case Parsed.Invalid<?> i -> new Parsed.Invalid<>(i.reason());
            case Parsed.Ok<Map<String, String>> ok -> fromTags(ok.value());
        };
    }

    private static Parsed<DkimKeyRecord> fromTags(Map<String, String> t) {
        if (t.containsKey("v") && (!t.get("v").equals("DKIM1") || !t.keySet().iterator().next().equals("v"))) {
            return new Parsed.Invalid<>("v= must be DKIM1 and come first"); // §3.6.1 v=
        }
        Optional<Algorithm.KeyType> keyType = Algorithm.KeyType.of(t.getOrDefault("k", "rsa"));
        if (keyType.isEmpty()) {
            return new Parsed.Invalid<>("unknown key type k=" + Tags.shorten(t.get("k")));
        }
        if (!t.containsKey("p")) {
            return new Parsed.Invalid<>("missing p=");
        }
        Optional<byte[]> key = DkimSignature.base64(Tags.compact(t.get("p")));
        if (key.isEmpty()) {
            return new Parsed.Invalid<>("p= is not base64");
        }
        List<String> flags = list(t.getOrDefault("t", ""));
        return new Parsed.Ok<>(new DkimKeyRecord(keyType.get(), list(t.getOrDefault("h", "")), key.get(),
                list(t.getOrDefault("s", "*")), flags.contains("y"), flags.contains("s")));
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(":")).map(Tags::trimFws).filter(s -> !s.isEmpty()).toList();
    }

    public boolean revoked() {
        return publicKey.length == 0;
    }

    /** True if this key may be used for email with SHA-256 (h= and s= tags). */
    boolean allowsSha256() {
        return hashes.isEmpty() || hashes.stream().anyMatch(h -> h.equalsIgnoreCase("sha256"));
    }

    boolean allowsEmail() {
        return services.stream().anyMatch(s -> s.equals("*") || s.equalsIgnoreCase("email"));
    }

    /**
     * The JDK key for p=. RSA keys are a SubjectPublicKeyInfo, though some publishers put a bare PKCS#1
     * RSAPublicKey (which RFC 6376 §3.6.1 literally names), so both are accepted. Ed25519 keys are the raw
     * 32 bytes (RFC 8463 §4.2), wrapped here into a SubjectPublicKeyInfo for the JDK.
     */
    Optional<PublicKey> toPublicKey() {
        try {
            if (keyType == Algorithm.KeyType.ED25519) {
                if (publicKey.length != 32) {
                    return Optional.empty();
                }
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + 32);
                System.arraycopy(publicKey, 0, spki, ED25519_SPKI_PREFIX.length, 32);
                return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
            }
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            try {
                return Optional.of(rsa.generatePublic(new X509EncodedKeySpec(publicKey)));
            } catch (GeneralSecurityException notSpki) {
                return Optional.of(rsa.generatePublic(new X509EncodedKeySpec(wrapPkcs1(publicKey))));
            }
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) { // p= is untrusted input
            return Optional.empty();
        }
    }

    private static byte[] wrapPkcs1(byte[] pkcs1) throws java.io.IOException {
        RSAPublicKey key = RSAPublicKey.getInstance(pkcs1);
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                key).getEncoded();
    }
}
