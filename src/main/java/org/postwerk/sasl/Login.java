package org.postwerk.sasl;

import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * LOGIN (draft-murchison-sasl-login, obsolete but still what some clients and devices speak): the server
 * asks {@code Username:} then {@code Password:}; an initial response is taken as the user name.
 */
final class Login implements SaslMechanism {
    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    private enum State { NEW, USER, PASSWORD, DONE }

    private final CredentialStore store;
    private State state = State.NEW;
    private String user;

    Login(CredentialStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public Step start(byte[] initialResponse) {
        if (state != State.NEW) {
            return new Step.Failure("already started");
        }
        state = State.USER;
        return initialResponse == null ? new Step.Challenge(USERNAME.clone()) : next(initialResponse);
    }

    @Override
    public Step next(byte[] clientData) {
        State current = state;
        state = State.DONE;
        Optional<CharBuffer> text = Sasl.text(clientData);
        if (text.isEmpty()) {
            return Sasl.MALFORMED;
        }
        return switch (current) {
            case USER -> user(text.get().toString());
            case PASSWORD -> password(text.get());
            case NEW, DONE -> new Step.Failure("no exchange in progress");
        };
    }

    private Step user(String name) {
        if (name.isEmpty()) {
            return new Step.Failure("empty user");
        }
        user = name;
        state = State.PASSWORD;
        return new Step.Challenge(PASSWORD.clone());
    }

    private Step password(CharBuffer text) {
        char[] password = new char[text.remaining()];
        text.get(password);
        try {
            if (password.length == 0) {
                return new Step.Failure("empty password");
            }
            return Sasl.check(store, user, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
