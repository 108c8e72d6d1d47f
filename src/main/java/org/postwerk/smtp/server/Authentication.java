package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.util.List;

/** What the session needs from SASL (RFC 4954): the mechanisms on offer and one exchange at a time. */
public interface Authentication {
    List<String> mechanisms();

    /** Starts an exchange for a client at that address, or returns null for a mechanism we do not offer. */
    Exchange begin(String mechanism, InetAddress client);

    interface Exchange {
        /** Feeds client data (decoded base64; null = no initial response) and returns the next step. */
        Step step(byte[] clientData);
    }

    sealed interface Step {
        record Challenge(byte[] data) implements Step {}

        record Success(String user, byte[] finalData) implements Step {}

        record Failure(String reason) implements Step {}

        /** Credentials cannot be checked now; not a failed login (RFC 4954 §6: 454 4.7.0). */
        record Busy(String reason) implements Step {}
    }
}
