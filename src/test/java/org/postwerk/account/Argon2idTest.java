package org.postwerk.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class Argon2idTest {
    @Test
    void verifiesHashesMadeByTheReferenceImplementation() {
        // Made with the reference implementation's CLI: echo -n password | argon2 somesalt -id -t 2 -m 16 -p N -e
        String oneLane = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        String fourLanes = "$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo";
        assertThat(Argon2id.verify(oneLane, "password".toCharArray())).isTrue();
        assertThat(Argon2id.verify(fourLanes, "password".toCharArray())).isTrue();
        assertThat(Argon2id.verify(oneLane, "Password".toCharArray())).isFalse();
    }

    @Test
    void hashesInPhcFormatWithOwaspParametersAndFreshSalt() {
        Argon2id argon2 = new Argon2id(new SecureRandom());
        String a = argon2.hash("correct horse".toCharArray());
        String b = argon2.hash("correct horse".toCharArray());
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(Argon2id.isWellFormed(a)).isTrue();
        assertThat(Argon2id.verify(a, "correct horse".toCharArray())).isTrue();
        assertThat(Argon2id.verify(b, "correct horse".toCharArray())).isTrue();
        assertThat(Argon2id.verify(a, "correct horse ".toCharArray())).isFalse();
    }

    @Test
    void malformedOrAbsurdStringsNeverVerify() {
        assertThat(Argon2id.verify("", "x".toCharArray())).isFalse();
        assertThat(Argon2id.verify("$argon2i$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$CTFh", "x".toCharArray()))
                .isFalse();
        assertThat(Argon2id.verify("$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFh", "x".toCharArray()))
                .isFalse();
    }
}
