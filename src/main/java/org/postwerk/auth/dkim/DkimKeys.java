package org.postwerk.auth.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Signing keys on disk: {@code DATA/dkim/<domain>/<selector>.key}, PKCS#8 PEM, one file per selector, so a
 * domain can have an RSA and an Ed25519 key (dual signing) and keys can be rotated by adding a selector.
 * Also makes new keys and the TXT record that publishes them (RFC 6376 §3.6.1, RFC 8463 §4.2).
 */
public final class DkimKeys {
    private final Path dir;

    /** @param dataDir the server's data directory; keys live under {@code dataDir/dkim} */
    public DkimKeys(Path dataDir) {
        this.dir = dataDir.resolve("dkim");
    }

    /** Where the key for a domain and selector is kept. */
    public Path path(String domain, String selector) {
        return dir.resolve(domain.toLowerCase(Locale.ROOT)).resolve(selector + ".key");
    }

    /**
     * Every key of a domain, sorted by selector; none when the domain has no directory.
     *
     * @throws IOException when a key file cannot be read or is not a usable PEM key (the operator must know)
     */
    public List<DkimSigner.Key> forDomain(String domain) throws IOException {
        Path domainDir = dir.resolve(domain.toLowerCase(Locale.ROOT));
        if (!Files.isDirectory(domainDir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(domainDir, "*.key")) {
            stream.forEach(files::add);
        }
        files.sort(Comparator.comparing(Path::toString));
        List<DkimSigner.Key> keys = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String selector = name.substring(0, name.length() - ".key".length());
            try {
                keys.add(DkimSigner.Key.fromPem(domain.toLowerCase(Locale.ROOT), selector,
                        Files.readString(file, StandardCharsets.US_ASCII)));
            } catch (GeneralSecurityException e) {
                throw new IOException("unusable DKIM key " + file + ": " + e.getMessage(), e);
            }
        }
        return keys;
    }

    /** A new key pair: RSA-2048 (RFC 8301 §3.2 recommends at least 2048 bits to sign) or Ed25519. */
    public static KeyPair generate(Algorithm.KeyType type) {
        try {
            if (type == Algorithm.KeyType.RSA) {
                KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
                rsa.initialize(2048);
                return rsa.generateKeyPair();
            }
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has RSA and Ed25519", e);
        }
    }

    /** The private key as PKCS#8 PEM, the format {@link #forDomain} reads. */
    public static byte[] pem(KeyPair pair) {
        return PemKeys.pem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII);
    }

    /** The key record text: {@code v=DKIM1; k=rsa; p=<SubjectPublicKeyInfo>} or {@code k=ed25519; p=<32 raw bytes>}. */
    public static String txtRecord(PublicKey key) {
        byte[] encoded = key.getEncoded();
        boolean ed25519 = key.getAlgorithm().equals("Ed25519") || key.getAlgorithm().equals("EdDSA");
        byte[] p = ed25519 ? Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length) : encoded;
        return "v=DKIM1; k=" + (ed25519 ? "ed25519" : "rsa") + "; p=" + Base64.getEncoder().encodeToString(p);
    }

    /**
     * The public half of a signing key as {@link #forDomain} reads it (the files keep only the private key): for
     * RSA from the CRT parameters, for Ed25519 derived from the 32-byte seed (RFC 8032 §5.1.5).
     */
    public static PublicKey publicKey(PrivateKey key) {
        try {
            if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
                return KeyFactory.getInstance("RSA").generatePublic(
                        new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            }
            if (key instanceof java.security.interfaces.EdECPrivateKey ed && ed.getBytes().isPresent()) {
                var pub = new org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters(ed.getBytes().get())
                        .generatePublicKey();
                byte[] spki = org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory
                        .createSubjectPublicKeyInfo(pub).getEncoded();
                return KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(spki));
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot derive the public key: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("not an RSA (CRT) or Ed25519 key: " + key.getAlgorithm());
    }

    /** The TXT record as a zone-file line, the text cut into strings of at most 255 bytes (RFC 1035 §3.3.14). */
    public static String zoneLine(String domain, String selector, PublicKey key) {
        return selector + "._domainkey." + domain + ". IN TXT " + txtStrings(txtRecord(key));
    }

    /** TXT data as zone-file strings of at most 255 bytes each (RFC 1035 §3.3.14), space-separated. */
    public static String txtStrings(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length(); i += 255) {
            sb.append(i == 0 ? "\"" : " \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
        }
        return sb.toString();
    }
}
