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
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
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

    /** A self-signed certificate authority (basic constraints CA, keyCertSign) to issue test leaves from. */
    public static TestCertificates ca(String name) {
        try {
            KeyPair keys = ecKeys();
            X500Name subject = new X500Name("CN=" + name);
            Instant now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            var holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new TestCertificates(new JcaX509CertificateConverter().getCertificate(holder), keys);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A leaf for {@code host} signed by this CA, valid from an hour ago for two days. */
    public TestCertificates issue(String host) {
        Instant now = Instant.now();
        return issue(host, now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    /** A leaf for all these host names (the first is the subject's CN), valid now. */
    public TestCertificates issueFor(String... hosts) {
        Instant now = Instant.now();
        return issue(java.util.List.of(hosts), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
    }

    /** A leaf for {@code host} signed by this CA, valid between the two instants (in the past: expired). */
    public TestCertificates issue(String host, Instant notBefore, Instant notAfter) {
        return issue(java.util.List.of(host), notBefore, notAfter);
    }

    private TestCertificates issue(java.util.List<String> hosts, Instant notBefore, Instant notAfter) {
        String host = hosts.getFirst();
        try {
            KeyPair leaf = ecKeys();
            var builder = new JcaX509v3CertificateBuilder(new X500Name(certificate.getSubjectX500Principal().getName()),
                    serial(), Date.from(notBefore), Date.from(notAfter), new X500Name("CN=" + host), leaf.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(hosts.stream().map(h -> new GeneralName(GeneralName.dNSName, h))
                            .toArray(GeneralName[]::new)));
            var holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new TestCertificates(new JcaX509CertificateConverter().getCertificate(holder), leaf);
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair ecKeys() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static final java.util.concurrent.atomic.AtomicLong SERIAL = new java.util.concurrent.atomic.AtomicLong();

    private static BigInteger serial() {
        return BigInteger.valueOf(System.currentTimeMillis()).shiftLeft(16).add(BigInteger.valueOf(SERIAL.incrementAndGet()));
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
