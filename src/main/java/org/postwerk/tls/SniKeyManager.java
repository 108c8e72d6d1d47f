package org.postwerk.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Picks the certificate of each handshake from {@link ServerCertificates} by the client's SNI name and ALPN
 * protocol. The JDK asks for an alias first and for its chain and key after: the alias names the exact pair
 * chosen (its leaf's fingerprint), so a renewal between the two calls cannot mix a chain with another key. The
 * pairs are held in memory: the JDK's PKIX key manager would read the key out of a PKCS12 store, a PBKDF2 run,
 * on every handshake.
 */
final class SniKeyManager extends X509ExtendedKeyManager {
    private final ServerCertificates certificates;
    /** The pairs handed out, by alias: one entry per certificate ever served (a few per renewal). */
    private final Map<String, CertifiedKey> chosen = new ConcurrentHashMap<>();

    SniKeyManager(ServerCertificates certificates) {
        this.certificates = certificates;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        if (socket instanceof SSLSocket s) {
            return alias(keyType, s.getHandshakeSession(), s.getHandshakeApplicationProtocol());
        }
        return alias(keyType, null, null);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return engine == null ? alias(keyType, null, null)
                : alias(keyType, engine.getHandshakeSession(), engine.getHandshakeApplicationProtocol());
    }

    private String alias(String keyType, SSLSession handshake, String protocol) {
        Optional<CertifiedKey> c = certificates.choose(serverName(handshake),
                Optional.ofNullable(protocol).filter(p -> !p.isEmpty()), keyType);
        if (c.isEmpty()) {
            return null;
        }
        String alias = c.get().key().getAlgorithm() + ":" + fingerprint(c.get().leaf());
        chosen.putIfAbsent(alias, c.get());
        return alias;
    }

    private static Optional<String> serverName(SSLSession handshake) {
        if (handshake instanceof ExtendedSSLSession e) {
            for (SNIServerName n : e.getRequestedServerNames()) {
                if (n instanceof SNIHostName host) {
                    return Optional.of(host.getAsciiName());
                }
            }
        }
        return Optional.empty();
    }

    private static String fingerprint(X509Certificate leaf) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = alias(keyType, null, null);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        CertifiedKey c = alias == null ? null : chosen.get(alias);
        return c == null ? null : c.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        CertifiedKey c = alias == null ? null : chosen.get(alias);
        return c == null ? null : c.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
