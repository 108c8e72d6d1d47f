package org.postwerk.queue;

import java.time.Instant;
import org.postwerk.smtp.Notify;

/**
 * One recipient of a queued message and its delivery state, as persisted in the envelope file.
 *
 * @param lastReply   the last remote (or local) reply, or null before the first attempt
 * @param remoteMta   who gave {@code lastReply}, or null
 * @param command     the command {@code lastReply} answered, or null
 * @param reported    true when the DSN this state asks for was queued (or none is needed)
 * @param delayWarned true when a delay warning went out already
 */
public record RecipientState(Recipient recipient, Status status, int attempts, Instant nextAttempt,
                             String lastReply, String remoteMta, String command, boolean reported,
                             boolean delayWarned) {
    public static RecipientState fresh(Recipient r, Instant now) {
        return new RecipientState(r, Status.PENDING, 0, now, null, null, null, false, false);
    }

    /** True when delivery should be tried (not final) at {@code now}. */
    public boolean isDue(Instant now) {
        return !status.isFinal() && !nextAttempt.isAfter(now);
    }

    RecipientState after(Result r, Instant next) {
        return new RecipientState(recipient, r.status(), attempts + 1, next, r.reply(), r.remoteMta(), r.command(),
                false, delayWarned);
    }

    RecipientState markReported() {
        return new RecipientState(recipient, status, attempts, nextAttempt, lastReply, remoteMta, command, true,
                delayWarned);
    }

    RecipientState markWarned() {
        return new RecipientState(recipient, status, attempts, nextAttempt, lastReply, remoteMta, command, reported,
                true);
    }

    RecipientState dueAt(Instant at) {
        return new RecipientState(recipient, status, attempts, at, lastReply, remoteMta, command, reported,
                delayWarned);
    }

    /** RFC 3461 §4.1: without NOTIFY, failures are reported (and delays may be). */
    boolean wants(Notify n) {
        if (recipient.notifyOn().isEmpty()) {
            return n == Notify.FAILURE || n == Notify.DELAY;
        }
        return recipient.notifyOn().contains(n);
    }
}
