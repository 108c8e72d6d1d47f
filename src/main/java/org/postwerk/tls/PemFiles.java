package org.postwerk.tls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM certificate chains and private keys with Bouncy Castle's parser, converting to the
 * JDK's own key and certificate types (no provider is registered). Keys may be PKCS#8 ({@code PRIVATE KEY}),
 * PKCS#1 RSA ({@code RSA PRIVATE KEY}) or SEC1 EC ({@code EC PRIVATE KEY}); encrypted keys are refused because
 * a server that starts unattended has nobody to type the passphrase.
 */
public final class PemFiles {
    private PemFiles() {}

    /** The certificates in file order: the leaf first, then intermediates (RFC 8446 §4.4.2). */
    static List<X509Certificate> readChain(Path file) throws IOException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (CertificateException e) {
            throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IOException(file + ": no CERTIFICATE block");
        }
        return chain;
    }

    /** The first private key in the file. */
    public static PrivateKey readKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                switch (o) {
                    case PEMKeyPair pair -> {
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMEncryptedKeyPair e -> throw new IOException(file + ": encrypted keys are not supported");
                    case PKCS8EncryptedPrivateKeyInfo e ->
                            throw new IOException(file + ": encrypted keys are not supported");
                    default -> {
                        // EC PARAMETERS and other blocks that may precede the key.
                    }
                }
            }
        }
        throw new IOException(file + ": no private key block");
    }

    /**
     * Writes a key as PKCS#8 {@code PRIVATE KEY}: the traditional EC form that Bouncy Castle would make from a
     * JDK key lacks the curve parameters, which neither the JDK nor OpenSSL could read back.
     */
    public static byte[] encodeKey(PrivateKey key) throws IOException {
        return encode(new JcaPKCS8Generator(key, null));
    }

    static byte[] encode(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
