package org.postwerk.acme;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pending HTTP-01 answers (RFC 8555 §8.3): the key authorization to serve at
 * {@code /.well-known/acme-challenge/TOKEN} while the CA validates, by token.
 */
public final class Http01Answers {
    private final Map<String, String> byToken = new ConcurrentHashMap<>();

    /** The key authorization for {@code token}, if one is pending. */
    public Optional<String> answer(String token) {
        return Optional.ofNullable(byToken.get(token));
    }

    /** Serves {@code keyAuthorization} for {@code token} until removed. */
    public void put(String token, String keyAuthorization) {
        byToken.put(token, keyAuthorization);
    }

    public void remove(String token) {
        byToken.remove(token);
    }
}
