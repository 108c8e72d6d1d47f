package org.postwerk.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postwerk.sasl.SaslPrep;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64), which other tools read too.
 * New hashes use the OWASP parameters (19 MiB, 2 passes, 1 lane): a login costs tens of milliseconds, not
 * hundreds, on a small server that also serves many submission clients. Verification reads the parameters
 * from the stored string, so raising them later needs no migration. In the server every hash runs on the
 * {@link HashPool}; its memory is outside the Java heap and given back after the hash ({@link Argon2Engine}).
 */
final class Argon2id {
    static final int MEMORY_KIB = 19 * 1024;
    static final int ITERATIONS = 2;
    static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    /** Refuse to verify against absurd parameters from a hand-edited file (1 GiB, 16 passes). */
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 16;
    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final SecureRandom random;

    Argon2id(SecureRandom random) {
        this.random = random;
    }

    String hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = compute(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
    }

    static boolean isWellFormed(String encoded) {
        return PHC.matcher(encoded).matches();
    }

    /**
     * Constant-time comparison of the recomputed hash; false for a malformed or out-of-bounds string.
     */
    static boolean verify(String encoded, char[] password) {
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return false;
        }
        int memoryKib = Integer.parseInt(m.group(1));
        int iterations = Integer.parseInt(m.group(2));
        int lanes = Integer.parseInt(m.group(3));
        if (memoryKib > MAX_MEMORY_KIB || iterations > MAX_ITERATIONS || lanes < 1 || memoryKib < 8 * lanes
                || iterations < 1) {
            return false;
        }
        byte[] salt = Base64.getDecoder().decode(m.group(4));
        byte[] expected = Base64.getDecoder().decode(m.group(5));
        byte[] actual = compute(password, salt, memoryKib, iterations, lanes, expected.length);
        boolean same = MessageDigest.isEqual(expected, actual);
        Arrays.fill(actual, (byte) 0);
        return same;
    }

    private static byte[] compute(char[] password, byte[] salt, int memoryKib, int iterations, int lanes,
                                  int length) {
        // The same preparation as SCRAM, so PLAIN and SCRAM agree on passwords with odd spaces or forms.
        byte[] utf8 = SaslPrep.prepare(password).getBytes(StandardCharsets.UTF_8);
        try {
            return Argon2Engine.hash(utf8, salt, memoryKib, iterations, lanes, length);
        } finally {
            Arrays.fill(utf8, (byte) 0);
        }
    }
}
