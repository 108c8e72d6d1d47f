package org.postwerk.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * Builds server {@link SSLContext}s: from the operator's PEM files, or from a self-signed certificate made on
 * first start. Pair the result with {@link ServerTls}, which applies the protocol and cipher policy.
 */
public final class TlsContexts {
    private TlsContexts() {}

    /**
     * A server context from a PEM certificate chain (leaf first) and a PEM private key (PKCS#8, PKCS#1 RSA or
     * SEC1 EC, unencrypted).
     *
     * @throws IOException when a file cannot be read or holds no usable certificate or key
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey) throws IOException {
        CertifiedKey pair = readPair(certificateChain, privateKey);
        return server(pair.chain(), pair.key());
    }

    /** The pair in two PEM files, checked to fit together. @throws IOException as {@code FILE: problem} */
    public static CertifiedKey readPair(Path certificateChain, Path privateKey) throws IOException {
        List<X509Certificate> chain = named(certificateChain, () -> PemFiles.readChain(certificateChain));
        PrivateKey key = named(privateKey, () -> PemFiles.readKey(privateKey));
        return named(privateKey, () -> {
            checkFits(chain, key);
            return CertifiedKey.of(chain, key);
        });
    }

    private interface PemRead<T> {
        T read() throws IOException;
    }

    /** Every failure as {@code FILE: problem}, so that the operator sees which of the two files is at fault. */
    private static <T> T named(Path file, PemRead<T> read) throws IOException {
        try {
            return read.read();
        } catch (IOException e) {
            String problem = switch (e) {
                case java.nio.file.NoSuchFileException n -> "no such file";
                case java.nio.file.AccessDeniedException a -> "permission denied";
                case java.nio.charset.CharacterCodingException c -> "not a PEM text file";
                default -> String.valueOf(e.getMessage());
            };
            throw new IOException(problem.startsWith(file.toString()) ? problem : file + ": " + problem, e);
        }
    }

    /**
     * The certificate the listeners present (the leaf): the configured chain's first, else the self-signed one
     * kept in {@code dir} ({@code DATA/tls}); empty when neither exists yet (no server has started).
     *
     * @throws IOException when the configured file cannot be read
     */
    public static java.util.Optional<X509Certificate> current(java.util.Optional<Path> configured, Path dir)
            throws IOException {
        if (configured.isPresent()) {
            return java.util.Optional.of(PemFiles.readChain(configured.get()).getFirst());
        }
        Path self = dir.resolve(SelfSigned.CERT_FILE);
        return java.nio.file.Files.exists(self) ? java.util.Optional.of(PemFiles.readChain(self).getFirst())
                : java.util.Optional.empty();
    }

    /**
     * A server context from the self-signed certificate kept in {@code dir} ({@code DATA/tls}), made there
     * first when missing or expiring; names {@code hostname} and {@code localhost}.
     */
    public static SSLContext selfSigned(Path dir, String hostname) throws IOException {
        return selfSigned(dir, hostname, Clock.systemUTC());
    }

    static SSLContext selfSigned(Path dir, String hostname, Clock clock) throws IOException {
        SelfSigned.Material m = SelfSigned.loadOrCreate(dir, hostname, clock);
        return server(m.chain(), m.key());
    }

    /** The TLS-ALPN-01 challenge certificate for {@code name} (RFC 8737 §3), with its own new key. */
    public static CertifiedKey acmeChallenge(String name, byte[] acmeValidation) throws IOException {
        SelfSigned.Material m = SelfSigned.tlsAlpn01(name, acmeValidation, java.time.Instant.now());
        return CertifiedKey.of(m.chain(), m.key());
    }

    /** The self-signed pair of {@link #selfSigned(Path, String)}. */
    public static CertifiedKey selfSignedPair(Path dir, String hostname) throws IOException {
        SelfSigned.Material m = SelfSigned.loadOrCreate(dir, hostname, Clock.systemUTC());
        return CertifiedKey.of(m.chain(), m.key());
    }

    /** Signs a few bytes with the key and checks them with the certificate's public key. */
    static boolean fits(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm(); // Ed25519, Ed448
        };
        byte[] probe = "postwerk".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        try {
            verifier.initVerify(certificate.getPublicKey());
        } catch (java.security.InvalidKeyException e) {
            return false; // a key of another type
        }
        verifier.update(probe);
        return verifier.verify(signature);
    }

    static SSLContext server(List<X509Certificate> chain, PrivateKey key) throws IOException {
        checkFits(chain, key);
        return ServerCertificates.single(CertifiedKey.of(chain, key)).context();
    }

    static SSLContext context(KeyManager keyManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    private static void checkFits(List<X509Certificate> chain, PrivateKey key) throws IOException {
        try {
            if (!fits(key, chain.get(0))) {
                throw new IOException("the key does not fit the certificate");
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("the key does not fit the certificate: " + e.getMessage(), e);
        }
    }
}
