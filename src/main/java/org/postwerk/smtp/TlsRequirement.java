package org.postwerk.smtp;

/**
 * What the sender of a message asked of the transport (RFC 8689). Kept with the message from reception to every
 * onward hop; a message has exactly one, so REQUIRETLS and {@code TLS-Required: No} cannot both hold.
 */
public enum TlsRequirement {
    /** Nothing asked: the hop's own policies apply (opportunistic TLS, MTA-STS, DANE). */
    POLICY,
    /**
     * The MAIL parameter REQUIRETLS (RFC 8689 §2): every hop over TLS with an authenticated certificate (MTA-STS
     * or DANE) and a next hop that offers REQUIRETLS itself, or no delivery.
     */
    REQUIRED,
    /**
     * The header field {@code TLS-Required: No} without REQUIRETLS (RFC 8689 §3, §4.2.2): the sender would
     * rather the message arrive than wait on a TLS policy failure; TLS is still tried.
     */
    NOT_REQUIRED
}
