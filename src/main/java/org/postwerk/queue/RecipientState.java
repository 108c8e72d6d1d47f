package org.postwerk.queue;

import java.time.Instant;
import java.util.Optional;
import org.postwerk.smtp.Notify;

/**
 * One recipient of a queued message and its delivery state, as persisted in the envelope file.
 *
 * @param attempts    delivery attempts so far
 * @param reported    true when the DSN this state asks for was queued (or none is needed)
 * @param delayWarned true when a delay warning went out already
 */
public record RecipientState(Recipient recipient, State state, int attempts, boolean reported,
                             boolean delayWarned) {
    public static RecipientState fresh(Recipient r, Instant now) {
        return new RecipientState(r, new State.Pending(now), 0, false, false);
    }

    public boolean isFinal() {
        return state instanceof State.Final;
    }

    /** True when delivery should be tried (not final) at {@code now}. */
    public boolean isDue(Instant now) {
        return state instanceof State.Waiting w && !w.nextAttempt().isAfter(now);
    }

    /** When a waiting recipient is tried next; empty once final. */
    public Optional<Instant> nextAttempt() {
        return state instanceof State.Waiting w ? Optional.of(w.nextAttempt()) : Optional.empty();
    }

    /** What the last attempt found, if there was one. */
    public Optional<Reason> reason() {
        return switch (state) {
            case State.Pending p -> Optional.empty();
            case State.Deferred d -> Optional.of(d.reason());
            case State.Final f -> Optional.of(f.reason());
        };
    }

    RecipientState after(State next) {
        return new RecipientState(recipient, next, attempts + 1, false, delayWarned);
    }

    RecipientState markReported() {
        return new RecipientState(recipient, state, attempts, true, delayWarned);
    }

    RecipientState markWarned() {
        return new RecipientState(recipient, state, attempts, reported, true);
    }

    /** Due at {@code at}; a final recipient stays as it is. */
    RecipientState dueAt(Instant at) {
        State s = switch (state) {
            case State.Pending p -> new State.Pending(at);
            case State.Deferred d -> new State.Deferred(at, d.reason());
            case State.Final f -> f;
        };
        return new RecipientState(recipient, s, attempts, reported, delayWarned);
    }

    /** RFC 3461 §4.1: without NOTIFY, failures are reported (and delays may be). */
    boolean wants(Notify n) {
        if (recipient.notifyOn().isEmpty()) {
            return n == Notify.FAILURE || n == Notify.DELAY;
        }
        return recipient.notifyOn().contains(n);
    }
}
