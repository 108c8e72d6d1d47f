package org.postwerk.auth.dkim;

import java.util.Optional;

/**
 * Signing algorithms (RFC 6376 §3.3, RFC 8463 §3). {@code rsa-sha1} is recognised only to reject it with a clear
 * reason: RFC 8301 §3.1 says verifiers must not consider it valid, and we never sign with it.
 */
public enum Algorithm {
    RSA_SHA256("rsa-sha256", KeyType.RSA),
    ED25519_SHA256("ed25519-sha256", KeyType.ED25519),
    RSA_SHA1("rsa-sha1", KeyType.RSA);

    private final String tag;
    private final KeyType keyType;

    Algorithm(String tag, KeyType keyType) {
        this.tag = tag;
        this.keyType = keyType;
    }

    /** The a= value. */
    public String tag() {
        return tag;
    }

    public KeyType keyType() {
        return keyType;
    }

    public static Optional<Algorithm> of(String tag) {
        for (Algorithm a : values()) {
            if (a.tag.equalsIgnoreCase(tag)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Key types of the k= tag (RFC 6376 §3.6.1, RFC 8463 §4). */
    public enum KeyType {
        RSA("rsa"), ED25519("ed25519");

        private final String tag;

        KeyType(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }

        static Optional<KeyType> of(String tag) {
            for (KeyType k : values()) {
                if (k.tag.equalsIgnoreCase(tag)) {
                    return Optional.of(k);
                }
            }
            return Optional.empty();
        }
    }
}
