package org.postwerk.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x9.X962Parameters;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Certificates and keys made fresh inside a test (no private key is ever committed), written as PEM in the
 * formats operators bring: PKCS#8, PKCS#1 RSA, SEC1 EC.
 */
public record TestCertificates(X509Certificate certificate, KeyPair keys) {
    /** How the private key is written. */
    public enum KeyFormat { PKCS8, TRADITIONAL }

    public static TestCertificates rsa(String host) {
        return make("RSA", 2048, host, "SHA256withRSA");
    }

    public static TestCertificates ec(String host) {
        return make("EC", 256, host, "SHA256withECDSA");
    }

    private static TestCertificates make(String algorithm, int bits, String host, String signature) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(bits);
            }
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + host);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
            var holder = builder.build(new JcaContentSignerBuilder(signature).build(keys.getPrivate()));
            return new TestCertificates(new JcaX509CertificateConverter().getCertificate(holder), keys);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    public void writeCertificate(Path file) throws IOException {
        Files.writeString(file, pem(certificate), StandardCharsets.US_ASCII);
    }

    /** PKCS8 writes {@code PRIVATE KEY}; TRADITIONAL writes {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}. */
    public void writeKey(Path file, KeyFormat format) throws IOException {
        Object block = switch (format) {
            case PKCS8 -> new JcaPKCS8Generator(keys.getPrivate(), null);
            case TRADITIONAL -> keys.getPrivate() instanceof ECPrivateKey ec ? sec1(ec) : keys;
        };
        Files.writeString(file, pem(block), StandardCharsets.US_ASCII);
    }

    /** SEC1 (RFC 5915) with the named curve inside, as OpenSSL writes it. */
    private static PemObject sec1(ECPrivateKey key) throws IOException {
        var params = new X962Parameters(SECObjectIdentifiers.secp256r1);
        byte[] der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), params).getEncoded();
        return new PemObject("EC PRIVATE KEY", der);
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(o);
        }
        return out.toString();
    }
}
