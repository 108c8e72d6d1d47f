package org.postwerk.sasl;

/**
 * One server-side SASL exchange (RFC 4422 §3): a state machine fed with the client's decoded data. Use each
 * instance for one exchange only; after Success or Failure every further call fails.
 */
public interface SaslMechanism {
    /** The registered mechanism name, e.g. {@code SCRAM-SHA-256}. */
    String name();

    /**
     * Starts the exchange.
     *
     * @param initialResponse the client's initial response (RFC 4422 §3.3) if it sent one (possibly empty),
     *     or null when it did not
     */
    Step start(byte[] initialResponse);

    /** The client's answer to the last challenge. */
    Step next(byte[] clientData);
}
