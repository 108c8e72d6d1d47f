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
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hostname).build();
            BigInteger serial = new BigInteger(64, new SecureRandom());
            // Back-date a little so that a client with a slightly slow clock accepts it at once.
            Date from = Date.from(now.minus(Duration.ofHours(1)));
            Date to = Date.from(now.plus(VALIDITY));
            var builder = new JcaX509v3CertificateBuilder(name, serial, from, to, name, pair.getPublic());
            GeneralNames sans = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, hostname), new GeneralName(GeneralName.dNSName, "localhost")});
            builder.addExtension(Extension.subjectAlternativeName, false, sans);
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509CertificateHolder holder =
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(holder);
            return new Material(List.of(cert), pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 certificate", e);
        }
    }
}
