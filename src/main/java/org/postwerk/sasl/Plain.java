package org.postwerk.sasl;

import java.nio.CharBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd} in UTF-8. Acting for another user is
 * not supported, so the authorization identity must be empty or the authentication identity itself.
 */
final class Plain implements SaslMechanism {
    private final CredentialStore store;
    private boolean started;
    private boolean done;

    Plain(CredentialStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public Step start(byte[] initialResponse) {
        if (started) {
            return new Step.Failure("already started");
        }
        started = true;
        // RFC 4422 §5: without an initial response the server sends an empty challenge.
        return initialResponse == null ? new Step.Challenge(new byte[0]) : finish(initialResponse);
    }

    @Override
    public Step next(byte[] clientData) {
        return started && !done ? finish(clientData) : new Step.Failure("no exchange in progress");
    }

    private Step finish(byte[] message) {
        done = true;
        Optional<CharBuffer> text = Sasl.text(message);
        if (text.isEmpty()) {
            return Sasl.MALFORMED;
        }
        char[] chars = new char[text.get().remaining()];
        text.get().get(chars);
        try {
            return check(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private Step check(char[] chars) {
        int first = indexOf(chars, 0);
        int second = first < 0 ? -1 : indexOf(chars, first + 1);
        if (second < 0 || indexOf(chars, second + 1) >= 0) {
            return new Step.Failure("malformed PLAIN message");
        }
        String authzid = new String(chars, 0, first);
        String authcid = new String(chars, first + 1, second - first - 1);
        char[] password = Arrays.copyOfRange(chars, second + 1, chars.length);
        try {
            if (authcid.isEmpty() || password.length == 0) {
                return new Step.Failure("empty user or password");
            }
            if (!authzid.isEmpty() && !authzid.equalsIgnoreCase(authcid)) {
                return new Step.Failure("authzid " + authzid + " differs from " + authcid);
            }
            return Sasl.check(store, authcid, password);
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static int indexOf(char[] chars, int from) {
        for (int i = from; i < chars.length; i++) {
            if (chars[i] == '\0') {
                return i;
            }
        }
        return -1;
    }
}
