package org.postwerk.acme;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Optional;
import org.postwerk.io.DurableFile;
import org.postwerk.tls.CertifiedKey;
import org.postwerk.tls.PemFiles;
import org.postwerk.tls.TlsContexts;

/**
 * What ACME keeps under {@code data_dir/acme}, every file mode 0600 and replaced in one rename: the account key
 * ({@code account.key}, made once: the account at the CA is this key, RFC 8555 §7.3), and the certificate with
 * its key ({@code certificate.pem}: chain then key, so that a listener never reads a new chain with an old key),
 * and a renewal request ({@code renew}, left by {@code postwerk acme renew}).
 */
public record AcmeFiles(Path dir) {
    public static AcmeFiles in(Path dataDir) {
        return new AcmeFiles(dataDir.resolve("acme"));
    }

    public Path accountKey() {
        return dir.resolve("account.key");
    }

    public Path certificate() {
        return dir.resolve("certificate.pem");
    }

    public Path renewRequest() {
        return dir.resolve("renew");
    }

    /**
     * The account key, made and kept on first use: RSA 2048, because its PKCS#8 form holds the public key too
     * (acme4j's own key files would need Bouncy Castle registered as a JCA provider, which we never do).
     */
    KeyPair accountKeyPair() throws IOException {
        if (Files.exists(accountKey())) {
            PrivateKey key = PemFiles.readKey(accountKey());
            if (!(key instanceof RSAPrivateCrtKey rsa)) {
                throw new IOException(accountKey() + ": not an RSA key");
            }
            try {
                PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
                return new KeyPair(pub, key);
            } catch (GeneralSecurityException e) {
                throw new IOException(accountKey() + ": " + e.getMessage(), e);
            }
        }
        KeyPair pair = rsa2048();
        DurableFile.write(accountKey(), PemFiles.encodeKey(pair.getPrivate()));
        return pair;
    }

    /** A new RSA 2048 key pair: for the account, and for each certificate (the most widely accepted kind). */
    static KeyPair rsa2048() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no RSA", e);
        }
    }

    /** The certificate in force, if there is a usable one. */
    public Optional<CertifiedKey> current() {
        if (!Files.exists(certificate())) {
            return Optional.empty();
        }
        try {
            return Optional.of(TlsContexts.readPair(certificate(), certificate()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void store(CertifiedKey issued) throws IOException {
        DurableFile.write(certificate(), issued.pem());
    }

    /** Takes the renewal request away; true when there was one. */
    boolean takeRenewRequest() throws IOException {
        return Files.deleteIfExists(renewRequest());
    }

    /** Asks the running server to renew now (it looks every few seconds). */
    public void requestRenewal() throws IOException {
        DurableFile.write(renewRequest(), new byte[0]);
    }
}
