package org.postwerk.smtp.server;

import java.util.List;

/** What the session needs from SASL (RFC 4954): the mechanisms on offer and one exchange at a time. */
public interface Authentication {
    List<String> mechanisms();

    /** Starts an exchange, or returns null for a mechanism we do not offer. */
    Exchange begin(String mechanism);

    interface Exchange {
        /** Feeds client data (decoded base64; null = no initial response) and returns the next step. */
        Step step(byte[] clientData);
    }

    sealed interface Step {
        record Challenge(byte[] data) implements Step {}

        record Success(String user, byte[] finalData) implements Step {}

        record Failure(String reason) implements Step {}
    }
}
