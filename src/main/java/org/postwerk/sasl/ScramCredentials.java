package org.postwerk.sasl;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * What a server keeps to run SCRAM-SHA-256 without the password (RFC 5802 §3, RFC 7677): the salt, the
 * iteration count, StoredKey = H(ClientKey) and ServerKey = HMAC(SaltedPassword, "Server Key").
 */
public record ScramCredentials(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
    /** RFC 7677 §4: at least 4096 iterations. */
    public static final int MIN_ITERATIONS = 4096;

    public ScramCredentials {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations " + iterations);
        }
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    /** Derives the stored credentials from a password (prepared with {@link SaslPrep}). */
    public static ScramCredentials derive(char[] password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        ScramCredentials result = new ScramCredentials(salt, iterations, sha256(clientKey), hmac(salted, "Server Key"));
        Arrays.fill(salted, (byte) 0);
        return result;
    }

    /** SaltedPassword := Hi(Normalize(password), salt, i), which is PBKDF2 with HMAC-SHA-256 (RFC 5802 §2.2). */
    static byte[] saltedPassword(char[] password, byte[] salt, int iterations) {
        byte[] utf8 = SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8);
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(new SHA256Digest());
        generator.init(utf8, salt, iterations);
        byte[] salted = ((KeyParameter) generator.generateDerivedMacParameters(256)).getKey();
        Arrays.fill(utf8, (byte) 0); // only now: the generator keeps a reference, not a copy
        return salted;
    }

    static byte[] hmac(byte[] key, String text) {
        return hmac(key, text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScramCredentials c && iterations == c.iterations && Arrays.equals(salt, c.salt)
                && Arrays.equals(storedKey, c.storedKey) && Arrays.equals(serverKey, c.serverKey);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(storedKey);
    }

    @Override
    public String toString() {
        return "ScramCredentials[iterations=" + iterations + "]";
    }
}
