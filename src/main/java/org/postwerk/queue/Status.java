package org.postwerk.queue;

/** Where one recipient stands. Final states never change again. */
public enum Status {
    /** Not tried yet. */
    PENDING,
    /** Tried, failed temporarily; tried again at the next attempt time. */
    DEFERRED,
    /** Accepted by the final mailbox or the next hop. */
    DELIVERED,
    /** Accepted by a next hop that speaks DSN and took over reporting (RFC 3461 §6.2.1): no success DSN from us. */
    TRANSFERRED,
    /** Handed to a next hop that does not speak DSN (RFC 3464 §2.3.3 action "relayed"). */
    RELAYED,
    /** An alias that expanded into other recipients of the same entry (action "expanded"). */
    EXPANDED,
    /** Failed permanently, or expired: a failure DSN goes back. */
    FAILED;

    public boolean isFinal() {
        return this != PENDING && this != DEFERRED;
    }
}
