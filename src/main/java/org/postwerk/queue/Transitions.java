package org.postwerk.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postwerk.smtp.Mailbox;

/** Pure state changes of an entry after one attempt: retry times, expiry, alias expansion. */
final class Transitions {
    /** Alias chains longer than this are a loop (RFC 5321 §6.3 asks us to detect loops). */
    static final int MAX_RECIPIENTS = 1000;

    private Transitions() {}

    static QueueEntry apply(QueueEntry e, Map<Integer, Result> results, Instant now, RetrySchedule retry) {
        List<RecipientState> states = new ArrayList<>(e.recipients());
        List<RecipientState> added = new ArrayList<>();
        for (Map.Entry<Integer, Result> m : results.entrySet()) {
            RecipientState before = states.get(m.getKey());
            if (before.status().isFinal()) {
                continue;
            }
            Result r = m.getValue();
            RecipientState after = switch (r.status()) {
                case DEFERRED -> deferred(before, r, now, retry, e.envelope().received());
                case PENDING -> before;
                default -> before.after(r, now);
            };
            if (r.status() == Status.EXPANDED) {
                after = expand(before, r, after, states.size() + added.size(), added, now);
            }
            states.set(m.getKey(), after);
        }
        states.addAll(added);
        return e.with(states);
    }

    private static RecipientState deferred(RecipientState before, Result r, Instant now, RetrySchedule retry,
                                           Instant received) {
        if (retry.expired(received, now)) {
            // RFC 5321 §4.5.4.1: give up; the DSN keeps the last temporary reply as the reason.
            return before.after(Result.of(Status.FAILED, r.reply(), r.remoteMta(), r.command()), now);
        }
        return before.after(r, retry.next(now, before.attempts() + 1));
    }

    private static RecipientState expand(RecipientState before, Result r, RecipientState after, int count,
                                         List<RecipientState> added, Instant now) {
        if (count + r.expandTo().size() > MAX_RECIPIENTS) {
            return before.after(Result.of(Status.FAILED, "554 5.4.6 Alias expansion loop or too many recipients",
                    null, null), now);
        }
        for (Mailbox m : r.expandTo()) {
            // RFC 3461 §5.2.2: the expansion reported SUCCESS already ("expanded"); failures still go back.
            java.util.Set<org.postwerk.smtp.Notify> notify = java.util.EnumSet.noneOf(org.postwerk.smtp.Notify.class);
            notify.addAll(before.recipient().notifyOn());
            notify.remove(org.postwerk.smtp.Notify.SUCCESS);
            String orcpt = before.recipient().orcpt() != null ? before.recipient().orcpt()
                    : "rfc822;" + org.postwerk.smtp.Xtext.encode(before.recipient().address().toString());
            added.add(RecipientState.fresh(new Recipient(m, notify, orcpt),
                    now));
        }
        return after;
    }
}
