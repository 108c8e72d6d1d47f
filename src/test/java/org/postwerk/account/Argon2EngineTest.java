package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/**
 * The off-heap Argon2id against Bouncy Castle's (the implementation it replaced, kept here as the oracle) over
 * many parameter sets: lanes 1-4, memory from the minimum up, 1-3 passes, tags shorter and longer than one
 * Blake2b output, with and without a secret and associated data. Argon2idTest checks it against hashes of the
 * reference implementation's own command line tool.
 */
class Argon2EngineTest {
    private static byte[] oracle(byte[] password, byte[] salt, byte[] secret, byte[] associated, int memoryKib,
                                 int passes, int lanes, int length) {
        Argon2BytesGenerator g = new Argon2BytesGenerator();
        g.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(passes).withParallelism(lanes)
                .withSalt(salt).withSecret(secret).withAdditional(associated).build());
        byte[] out = new byte[length];
        g.generateBytes(password, out);
        return out;
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    @Test
    void agreesWithBouncyCastleOnEveryShapeOfInput() {
        Random r = new Random(12);
        int[] lengths = {4, 16, 32, 63, 64, 65, 96, 100, 130, 1024};
        for (int n = 0; n < 60; n++) {
            int lanes = 1 + r.nextInt(4);
            int memory = 8 * lanes + r.nextInt(300);
            int passes = 1 + r.nextInt(3);
            int length = lengths[n % lengths.length];
            byte[] password = bytes(r, r.nextInt(40));
            byte[] salt = bytes(r, 8 + r.nextInt(24));
            byte[] secret = n % 3 == 0 ? bytes(r, 8) : new byte[0];
            byte[] associated = n % 4 == 0 ? bytes(r, 12) : new byte[0];
            assertThat(Argon2Engine.hash(password, salt, secret, associated, memory, passes, lanes, length))
                    .as("m=%d t=%d p=%d T=%d", memory, passes, lanes, length)
                    .isEqualTo(oracle(password, salt, secret, associated, memory, passes, lanes, length));
        }
    }

    @Test
    void agreesAtTheServersOwnParameters() {
        Random r = new Random(7);
        byte[] password = bytes(r, 20);
        byte[] salt = bytes(r, 16);
        assertThat(Argon2Engine.hash(password, salt, Argon2id.MEMORY_KIB, Argon2id.ITERATIONS, Argon2id.PARALLELISM,
                32)).isEqualTo(oracle(password, salt, new byte[0], new byte[0], Argon2id.MEMORY_KIB,
                Argon2id.ITERATIONS, Argon2id.PARALLELISM, 32));
    }
}
