package org.postwerk.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlainLoginTest {
    private final Sasl sasl = new FakeCredentials(Map.of("alice@example.org", "wonder länd")).sasl();

    private SaslMechanism mechanism(String name) {
        return sasl.server(name).orElseThrow();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    @Test
    void offersTheThreeMechanismsOnly() {
        assertThat(Sasl.MECHANISMS).containsExactly("SCRAM-SHA-256", "PLAIN", "LOGIN");
        assertThat(sasl.server("plain")).isPresent();
        assertThat(sasl.server("CRAM-MD5")).isEmpty();
    }

    @Test
    void plainWithInitialResponse() {
        assertThat(mechanism("PLAIN").start(bytes("\0alice@example.org\0wonder länd")))
                .isEqualTo(new Step.Success("alice@example.org", null));
        assertThat(mechanism("PLAIN").start(bytes("alice@example.org\0alice@example.org\0wonder länd")))
                .isInstanceOf(Step.Success.class);
    }

    @Test
    void plainWithoutInitialResponseGetsAnEmptyChallenge() {
        SaslMechanism plain = mechanism("PLAIN");
        Step first = plain.start(null);
        assertThat(first).isInstanceOf(Step.Challenge.class);
        assertThat(((Step.Challenge) first).data()).isEmpty();
        assertThat(plain.next(bytes("\0alice@example.org\0wonder länd"))).isInstanceOf(Step.Success.class);
        assertThat(plain.next(bytes("\0alice@example.org\0wonder länd"))).isInstanceOf(Step.Failure.class);
    }

    @Test
    void plainRefusesWrongPasswordsOtherAuthzidsAndMalformedMessages() {
        assertThat(mechanism("PLAIN").start(bytes("\0alice@example.org\0wonderland")))
                .isEqualTo(new Step.Failure("bad credentials for alice@example.org"));
        assertThat(mechanism("PLAIN").start(bytes("bob@example.org\0alice@example.org\0wonder länd")))
                .isInstanceOf(Step.Failure.class);
        for (String bad : new String[] {"", "alice@example.org", "\0alice@example.org", "\0\0pw",
            "\0alice@example.org\0", "\0alice@example.org\0wonder länd\0x"}) {
            assertThat(mechanism("PLAIN").start(bytes(bad))).as(bad).isInstanceOf(Step.Failure.class);
        }
        assertThat(mechanism("PLAIN").start(new byte[] {0, 'a', 0, (byte) 0xFF})).isEqualTo(new Step.Failure("message too long or not UTF-8"));
    }

    @Test
    void loginAsksForUserThenPassword() {
        SaslMechanism login = mechanism("LOGIN");
        assertThat(new String(((Step.Challenge) login.start(null)).data(), UTF_8)).isEqualTo("Username:");
        assertThat(new String(((Step.Challenge) login.next(bytes("alice@example.org"))).data(), UTF_8))
                .isEqualTo("Password:");
        assertThat(login.next(bytes("wonder länd"))).isEqualTo(new Step.Success("alice@example.org", null));
    }

    @Test
    void loginTakesTheInitialResponseAsUserAndRefusesWrongPasswords() {
        SaslMechanism login = mechanism("LOGIN");
        assertThat(login.start(bytes("alice@example.org"))).isInstanceOf(Step.Challenge.class);
        assertThat(login.next(bytes("nope"))).isEqualTo(new Step.Failure("bad credentials for alice@example.org"));
        assertThat(login.next(bytes("wonder länd"))).isInstanceOf(Step.Failure.class);
        assertThat(mechanism("LOGIN").start(new byte[0])).isInstanceOf(Step.Failure.class);
    }

    @Test
    void base64HelpersFollowRfc4954() {
        assertThat(Sasl.decode("=")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(Sasl.decode("")).hasValueSatisfying(b -> assertThat(b).isEmpty());
        assertThat(Sasl.decode("AGFsaWNlAHB3")).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes("\0alice\0pw")));
        assertThat(Sasl.decode("not base64!")).isEqualTo(Optional.empty());
        assertThat(Sasl.encode(bytes("Username:"))).isEqualTo("VXNlcm5hbWU6");
    }
}
