package org.postwerk.sasl;

/** What the server does after one step of an exchange. */
public sealed interface Step {
    /** Send this challenge (the caller base64-encodes it) and pass the client's answer to {@code next}. */
    record Challenge(byte[] data) implements Step {}

    /**
     * The client proved it is {@code user} (an account name as the client typed it; the account store
     * matches names case-insensitively).
     *
     * @param finalServerData data the client must still get, or null. SMTP AUTH cannot carry data with
     *     success (RFC 4954 §4): send it as one more 334 challenge, expect an empty answer, then reply 235.
     */
    record Success(String user, byte[] finalServerData) implements Step {}

    /**
     * The exchange failed. {@code reason} is for the log, never for the client, which gets a generic
     * "authentication failed" (RFC 4954: 535 5.7.8).
     */
    record Failure(String reason) implements Step {}

    /**
     * The server will not check credentials now: too many checks at once, or the failed-login budget is spent
     * ({@link LoginBudget}). Not a failed login; the client may try again later (RFC 4954 §6: 454 4.7.0).
     * {@code reason} is for the log.
     */
    record Busy(String reason) implements Step {}
}
