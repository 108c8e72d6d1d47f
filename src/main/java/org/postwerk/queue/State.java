package org.postwerk.queue;

import java.time.Instant;

/**
 * Where one recipient of a queued message stands. {@link Waiting} states are tried again; {@link Final} ones
 * never change, and each keeps the typed {@link Reason} a DSN reports.
 */
public sealed interface State {
    /** Still to deliver, at {@link #nextAttempt()} or later. */
    sealed interface Waiting extends State {
        Instant nextAttempt();
    }

    /** Done: delivered, expanded, failed or expired. */
    sealed interface Final extends State {
        Reason reason();
    }

    /** Not tried yet. */
    record Pending(Instant nextAttempt) implements Waiting {}

    /** Tried, failed temporarily. */
    record Deferred(Instant nextAttempt, Reason reason) implements Waiting {}

    /** Accepted by the final mailbox or a next hop; {@code duty} says who reports success. */
    record Delivered(Reason reason, DsnDuty duty) implements Final {}

    /** An alias whose targets were added to the entry as recipients of their own (action "expanded"). */
    record Expanded(Reason reason) implements Final {}

    /** Failed permanently. */
    record Failed(Reason reason) implements Final {}

    /** Still failing temporarily when the maximum lifetime ran out (RFC 5321 §4.5.4.1); {@code reason} is the last. */
    record Expired(Reason reason) implements Final {}

    /** The word the envelope file and {@code postwerk queue} use. */
    default String word() {
        return switch (this) {
            case Pending p -> "pending";
            case Deferred d -> "deferred";
            case Delivered d -> switch (d.duty()) {
                case FINAL -> "delivered";
                case NEXT_HOP -> "transferred";
                case RELAYED -> "relayed";
            };
            case Expanded e -> "expanded";
            case Failed f -> "failed";
            case Expired e -> "expired";
        };
    }
}
