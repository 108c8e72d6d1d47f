package org.postwerk.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Serves one certificate chain and its key straight from memory. The JDK's PKIX key manager reads the key
 * back out of its PKCS12 store — a PBKDF2 run — on every handshake; this one does no work per handshake.
 */
final class MemoryKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "server";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    MemoryKeyManager(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain.toArray(X509Certificate[]::new);
        this.key = key;
    }

    /** "EC", "RSA", ... as JSSE names key types; "EC_EC"-style TLS 1.2 names start with it. */
    private String serverAlias(String keyType) {
        return keyType != null && keyType.startsWith(key.getAlgorithm()) ? ALIAS : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return serverAlias(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return serverAlias(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = serverAlias(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? key : null;
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
