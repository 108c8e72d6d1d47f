package org.postwerk.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.postwerk.sasl.ScramMessages.ClientFinal;
import org.postwerk.sasl.ScramMessages.ClientFirst;

/**
 * SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding: the client proves knowledge of the password
 * against the stored StoredKey/ServerKey, and the server proves it holds ServerKey. We do not offer
 * SCRAM-SHA-256-PLUS, so a client flag {@code y} (client could bind, thinks we cannot) is accepted and
 * {@code p=} (binding required) is refused (RFC 5802 §6). Unknown users get a consistent decoy salt and
 * fail only at the proof, so the exchange does not reveal which users exist (RFC 5802 §9).
 */
final class ScramSha256 implements SaslMechanism {
    private enum State { NEW, CLIENT_FIRST, CLIENT_FINAL, DONE }

    private final CredentialStore store;
    private final Supplier<String> nonces;
    private final byte[] decoySecret;
    private State state = State.NEW;
    private ClientFirst first;
    private ScramCredentials credentials;
    private boolean known;
    private String serverFirst;
    private String nonce;

    ScramSha256(CredentialStore store, Supplier<String> nonces, byte[] decoySecret) {
        this.store = store;
        this.nonces = nonces;
        this.decoySecret = decoySecret;
    }

    @Override
    public String name() {
        return "SCRAM-SHA-256";
    }

    @Override
    public Step start(byte[] initialResponse) {
        if (state != State.NEW) {
            return new Step.Failure("already started");
        }
        state = State.CLIENT_FIRST;
        return initialResponse == null ? new Step.Challenge(new byte[0]) : next(initialResponse);
    }

    @Override
    public Step next(byte[] clientData) {
        State current = state;
        state = State.DONE;
        Optional<String> text = Sasl.text(clientData).map(CharSequence::toString);
        if (text.isEmpty()) {
            return Sasl.MALFORMED;
        }
        return switch (current) {
            case CLIENT_FIRST -> clientFirst(text.get());
            case CLIENT_FINAL -> clientFinal(text.get());
            case NEW, DONE -> new Step.Failure("no exchange in progress");
        };
    }

    private Step clientFirst(String message) {
        switch (ScramMessages.clientFirst(message)) {
            case ScramMessages.Parsed.Bad<ClientFirst> bad -> {
                return new Step.Failure(bad.reason());
            }
            case ScramMessages.Parsed.Ok<ClientFirst> ok -> first = ok.value();
        }
        Optional<ScramCredentials> stored = store.scram(first.user());
        known = stored.isPresent();
        credentials = stored.orElseGet(this::decoy);
        nonce = first.nonce() + nonces.get();
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(credentials.salt()) + ",i="
                + credentials.iterations();
        state = State.CLIENT_FINAL;
        return new Step.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
    }

    private Step clientFinal(String message) {
        ClientFinal fin;
        switch (ScramMessages.clientFinal(message)) {
            case ScramMessages.Parsed.Bad<ClientFinal> bad -> {
                return new Step.Failure(bad.reason());
            }
            case ScramMessages.Parsed.Ok<ClientFinal> ok -> fin = ok.value();
        }
        String expectedBinding = Base64.getEncoder().encodeToString(first.gs2Header().getBytes(StandardCharsets.UTF_8));
        if (!fin.channelBinding().equals(expectedBinding)) {
            return new Step.Failure("channel binding data does not match the GS2 header");
        }
        if (!fin.nonce().equals(nonce)) {
            return new Step.Failure("nonce mismatch");
        }
        byte[] authMessage = (first.bare() + "," + serverFirst + "," + fin.withoutProof())
                .getBytes(StandardCharsets.UTF_8);
        // RFC 5802 §3: ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage); check H(ClientKey) = StoredKey.
        byte[] clientKey = ScramCredentials.hmac(credentials.storedKey(), authMessage);
        byte[] proof = fin.proof();
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] ^= proof[i];
        }
        boolean valid = MessageDigest.isEqual(ScramCredentials.sha256(clientKey), credentials.storedKey());
        Arrays.fill(clientKey, (byte) 0);
        if (!valid || !known) {
            return new Step.Failure("bad credentials for " + first.user());
        }
        byte[] serverSignature = ScramCredentials.hmac(credentials.serverKey(), authMessage);
        String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
        return new Step.Success(first.user(), serverFinal.getBytes(StandardCharsets.UTF_8));
    }

    /** The same salt for the same unknown name every time, so probing twice shows nothing either. */
    private ScramCredentials decoy() {
        byte[] salt = Arrays.copyOf(ScramCredentials.hmac(decoySecret, first.user()), 16);
        byte[] random = ScramCredentials.hmac(decoySecret, nonces.get());
        return new ScramCredentials(salt, ScramCredentials.MIN_ITERATIONS, random, random);
    }
}
