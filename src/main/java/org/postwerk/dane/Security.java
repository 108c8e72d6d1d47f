package org.postwerk.dane;

/**
 * The DNSSEC status of one answer (RFC 4033 §5, RFC 7672 §2.1.1). A lookup that failed or timed out is
 * {@link #BOGUS} too: RFC 7672 §2.1.1 treats "indeterminate" like bogus, since an attacker can cause either.
 */
public enum Security {
    /** Validated from a trust anchor. */
    SECURE,
    /** Provably unsigned, or outside every trust anchor: DANE does not apply. */
    INSECURE,
    /** Failed validation, or no usable answer: do not trust, do not go on as if insecure. */
    BOGUS
}
