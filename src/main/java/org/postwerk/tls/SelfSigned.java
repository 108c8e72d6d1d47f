package org.postwerk.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.postwerk.io.DurableFile;

/**
 * The certificate a fresh installation uses until the operator configures a real one: EC P-256, valid for a
 * year, subject alternative names = the host name and {@code localhost}. Kept as {@code cert.pem} and
 * {@code key.pem} (mode 600) in one directory and reused on later starts; made anew when missing, unreadable,
 * expiring within a day, not naming the host, or not matching its key (a crash between the two writes).
 */
final class SelfSigned {
    static final String CERT_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(1);

    private SelfSigned() {}

    record Material(List<X509Certificate> chain, PrivateKey key) {}

    static Material loadOrCreate(Path dir, String hostname, Clock clock) throws IOException {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            try {
                Material m = new Material(PemFiles.readChain(certFile), PemFiles.readKey(keyFile));
                if (usable(m, hostname, clock.instant())) {
                    return m;
                }
            } catch (IOException e) {
                // Damaged files: fall through and make new ones (they only ever held a self-signed pair).
            }
        }
        Material m = generate(hostname, clock.instant());
        // Key first: a crash in between leaves a pair that does not match, which the next start replaces.
        DurableFile.write(keyFile, PemFiles.encodeKey(m.key()));
        DurableFile.write(certFile, PemFiles.encode(m.chain().getFirst()));
        return m;
    }

    private static boolean usable(Material m, String hostname, Instant now) {
        X509Certificate cert = m.chain().getFirst();
        if (!cert.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE))) {
            return false;
        }
        return namesHost(cert, hostname) && matches(cert, m.key());
    }

    private static boolean namesHost(X509Certificate cert, String hostname) {
        try {
            var names = cert.getSubjectAlternativeNames();
            return names != null && names.stream()
                    .anyMatch(n -> n.get(0).equals(GeneralName.dNSName) && hostname.equalsIgnoreCase((String) n.get(1)));
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            byte[] probe = "postwerk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(cert.getSigAlgName());
            signer.initSign(key);
            signer.update(probe);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(cert.getSigAlgName());
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static Material generate(String hostname, Instant now) throws IOException {
        return sign(List.of(hostname, "localhost"), now.plus(VALIDITY), now, null);
    }

    /** RFC 8737 §3: id-pe-acmeIdentifier, critical, an OCTET STRING of the key authorization's SHA-256. */
    static final org.bouncycastle.asn1.ASN1ObjectIdentifier ACME_IDENTIFIER =
            new org.bouncycastle.asn1.ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

    /**
     * The TLS-ALPN-01 challenge certificate (RFC 8737 §3): self-signed, naming only {@code name}, carrying the
     * acmeIdentifier extension with {@code acmeValidation}; valid for a week, as the validation is brief.
     */
    static Material tlsAlpn01(String name, byte[] acmeValidation, Instant now) throws IOException {
        return sign(List.of(name), now.plus(Duration.ofDays(7)), now,
                new Extension(ACME_IDENTIFIER, true, new org.bouncycastle.asn1.DEROctetString(acmeValidation)
                        .getEncoded()));
    }

    /** An EC P-256 key and a self-signed certificate for the names (the first is the subject). */
    private static Material sign(List<String> names, Instant until, Instant now, Extension extra) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, names.getFirst()).build();
            BigInteger serial = new BigInteger(64, new SecureRandom());
            // Back-date a little so that a client with a slightly slow clock accepts it at once.
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            var builder = new JcaX509v3CertificateBuilder(name, serial, from, Date.from(until), name, pair.getPublic());
            GeneralNames sans = new GeneralNames(names.stream().map(n -> new GeneralName(GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new));
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            if (extra != null) {
                builder.addExtension(extra);
            }
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            return new Material(List.of(cert), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 certificate", e);
        }
    }
}
