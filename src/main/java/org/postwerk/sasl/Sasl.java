package org.postwerk.sasl;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Makes server mechanisms for one credential store and one failed-login budget. One instance serves the whole
 * server and every protocol; it is thread-safe, the mechanisms it returns are not (one per exchange).
 */
public final class Sasl {
    /** What we offer, strongest first. Offer PLAIN and LOGIN only over TLS (RFC 4954 §4, RFC 8314). */
    public static final List<String> MECHANISMS = List.of("SCRAM-SHA-256", "PLAIN", "LOGIN");
    /** Longer client messages are refused: no legitimate exchange comes near it. */
    static final int MAX_MESSAGE = 4096;
    static final Step.Failure MALFORMED = new Step.Failure("message too long or not UTF-8");
    private static final int NONCE_BYTES = 18;

    private final CredentialStore store;
    private final LoginBudget budget;
    private final SecureRandom random;
    private final byte[] decoySecret = new byte[32];

    public Sasl(CredentialStore store, LoginBudget budget) {
        this(store, budget, new SecureRandom());
    }

    Sasl(CredentialStore store, LoginBudget budget, SecureRandom random) {
        this.store = store;
        this.budget = budget;
        this.random = random;
        random.nextBytes(decoySecret);
    }

    /**
     * A fresh exchange for the named mechanism (case-insensitive) for a client at that address, or empty when
     * we do not offer the mechanism. The exchange answers {@link Step.Busy} at once when the failed-login budget
     * refuses the client, and its outcome is counted. A protocol's own password commands (IMAP LOGIN, POP3
     * USER/PASS) run as a PLAIN exchange, so the same rules apply to them.
     */
    public Optional<SaslMechanism> server(String mechanism, InetAddress client) {
        return server(mechanism).map(m -> new Attempt(m, budget, client));
    }

    /** The bare mechanism, outside the budget. */
    Optional<SaslMechanism> server(String mechanism) {
        return Optional.ofNullable(switch (mechanism.toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> new Plain(store);
            case "LOGIN" -> new Login(store);
            case "SCRAM-SHA-256" -> new ScramSha256(store, this::nonce, decoySecret);
            default -> null;
        });
    }

    /** A password check as a mechanism's last step; both user and password come from the client. */
    static Step check(CredentialStore store, String user, char[] password) {
        return switch (store.authenticate(user, password)) {
            case VALID -> new Step.Success(user, null);
            case INVALID -> new Step.Failure("bad credentials for " + user);
            case BUSY -> new Step.Busy("too many password checks at once");
        };
    }

    private String nonce() {
        byte[] bytes = new byte[NONCE_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * Decodes one base64 line from the client; {@code =} and the empty line both mean empty data
     * (RFC 4954 §4). Empty when the line is not base64 (reply 501 5.5.2).
     */
    public static Optional<byte[]> decode(String line) {
        if (line.equals("=")) {
            return Optional.of(new byte[0]);
        }
        try {
            return Optional.of(Base64.getDecoder().decode(line));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Encodes server data for a 334 line; empty data becomes an empty string. */
    public static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /**
     * A client message as text: empty when it is longer than {@link #MAX_MESSAGE} or not strict UTF-8 (a
     * malformed message fails the exchange; it is never patched with replacement characters).
     */
    static Optional<CharBuffer> text(byte[] data) {
        if (data.length > MAX_MESSAGE) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data)));
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
