package org.postwerk.sasl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScramSha256Test {
    private static final byte[] SECRET = new byte[32];

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String text(Step step) {
        return switch (step) {
            case Step.Challenge c -> new String(c.data(), UTF_8);
            case Step.Success s -> "success " + s.user() + " " + new String(s.finalServerData(), UTF_8);
            case Step.Failure f -> "failure " + f.reason();
            case Step.Busy b -> "busy " + b.reason();
        };
    }

    @Test
    void rfc7677TestVector() {
        // RFC 7677 §3: user "user", password "pencil", fixed client and server nonces.
        FakeCredentials store = new FakeCredentials(Map.of("user", "pencil"),
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="));
        SaslMechanism scram = new ScramSha256(store, () -> "%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", SECRET);
        assertThat(text(scram.start(bytes("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")))).isEqualTo(
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096");
        assertThat(text(scram.next(bytes("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="))))
                .isEqualTo("success user v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
        assertThat(scram.next(bytes("anything"))).isInstanceOf(Step.Failure.class);
    }

    @Test
    void fullExchangeAgainstTheTestClientWithoutInitialResponse() {
        Sasl sasl = new FakeCredentials(Map.of("a,b=c@example.org", "pä ss")).sasl();
        SaslMechanism scram = sasl.server("scram-sha-256").orElseThrow();
        ScramClient client = new ScramClient("a,b=c@example.org", "pä ss", "client-nonce-123", "n,,");
        assertThat(scram.start(null)).isInstanceOf(Step.Challenge.class);
        Step.Challenge first = (Step.Challenge) scram.next(client.first());
        assertThat(new String(first.data(), UTF_8)).startsWith("r=client-nonce-123").hasSizeGreaterThan(40);
        Step last = scram.next(client.last(first.data()));
        assertThat(last).isInstanceOf(Step.Success.class);
        assertThat(((Step.Success) last).user()).isEqualTo("a,b=c@example.org");
        assertThat(client.verify(((Step.Success) last).finalServerData())).isTrue();
    }

    @Test
    void yFlagAndMatchingAuthzidAreAccepted() {
        Sasl sasl = new FakeCredentials(Map.of("user", "pencil")).sasl();
        for (String gs2 : new String[] {"y,,", "n,a=user,"}) {
            SaslMechanism scram = sasl.server("SCRAM-SHA-256").orElseThrow();
            ScramClient client = new ScramClient("user", "pencil", "abc", gs2);
            Step.Challenge first = (Step.Challenge) scram.start(client.first());
            assertThat(scram.next(client.last(first.data()))).isInstanceOf(Step.Success.class);
        }
    }

    @Test
    void wrongPasswordAndUnknownUserFailAtTheProofWithAStableDecoySalt() {
        Sasl sasl = new FakeCredentials(Map.of("user", "pencil")).sasl();
        SaslMechanism scram = sasl.server("SCRAM-SHA-256").orElseThrow();
        ScramClient wrong = new ScramClient("user", "pencil!", "abc", "n,,");
        Step.Challenge first = (Step.Challenge) scram.start(wrong.first());
        assertThat(text(scram.next(wrong.last(first.data())))).isEqualTo("failure bad credentials for user");

        String[] salts = new String[2];
        for (int i = 0; i < 2; i++) {
            SaslMechanism probe = sasl.server("SCRAM-SHA-256").orElseThrow();
            ScramClient ghost = new ScramClient("ghost", "pencil", "abc", "n,,");
            Step.Challenge sf = (Step.Challenge) probe.start(ghost.first());
            salts[i] = new String(sf.data(), UTF_8).replaceAll(".*,s=([^,]+),.*", "$1");
            assertThat(text(probe.next(ghost.last(sf.data())))).isEqualTo("failure bad credentials for ghost");
        }
        assertThat(salts[0]).isEqualTo(salts[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "p=tls-unique,,n=user,r=abc", "x,,n=user,r=abc", "n,,m=ext,n=user,r=abc", "n,,n=us=er,r=abc",
        "n,,n=,r=abc", "n,,n=user,r=", "n,,n=user", "n,a=other,n=user,r=abc", "n,b=x,n=user,r=abc",
        "n,,n=user,r=a b", "n,,r=abc,n=user"})
    void malformedClientFirstMessagesFail(String message) {
        SaslMechanism scram = new ScramSha256(new FakeCredentials(Map.of("user", "pencil")), () -> "s", SECRET);
        assertThat(scram.start(bytes(message))).isInstanceOf(Step.Failure.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c=biws,r=abcs,p=!!!", "c=biws,r=abcs,p=AAAA", "c=eSws,r=abcs,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
        "c=biws,r=abcX,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "r=abcs,c=biws", "garbage"})
    void malformedOrMismatchedClientFinalMessagesFail(String message) {
        SaslMechanism scram = new ScramSha256(new FakeCredentials(Map.of("user", "pencil")), () -> "s", SECRET);
        assertThat(scram.start(bytes("n,,n=user,r=abc"))).isInstanceOf(Step.Challenge.class);
        assertThat(scram.next(bytes(message))).isInstanceOf(Step.Failure.class);
    }

    @Test
    void invalidUtf8AndOverlongMessagesFail() {
        SaslMechanism scram = new ScramSha256(new FakeCredentials(Map.of()), () -> "s", SECRET);
        assertThat(text(scram.start(new byte[] {'n', ',', ',', (byte) 0xC3}))).isEqualTo("failure message too long or not UTF-8");
        SaslMechanism other = new ScramSha256(new FakeCredentials(Map.of()), () -> "s", SECRET);
        assertThat(text(other.start(new byte[Sasl.MAX_MESSAGE + 1]))).isEqualTo("failure message too long or not UTF-8");
    }
}
