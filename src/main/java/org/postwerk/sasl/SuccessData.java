package org.postwerk.sasl;

/**
 * How the protocol carries data that comes with success (SCRAM's server signature), RFC 4422 §5 (7).
 */
public enum SuccessData {
    /** The protocol sends it with the success reply: {@link Step.Success#finalServerData()}. */
    WITH_SUCCESS,
    /**
     * The protocol cannot (SMTP AUTH, RFC 4954 §4): it is sent as one more challenge, the client answers with
     * an empty response, and only then comes {@link Step.Success}, always without data.
     */
    AS_CHALLENGE
}
