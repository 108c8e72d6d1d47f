package org.postwerk.queue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Notify;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.Xtext;

/** Pure state changes of an entry after one attempt: retry times, expiry, alias expansion. */
final class Transitions {
    /** Alias chains longer than this are a loop (RFC 5321 §6.3 asks us to detect loops). */
    static final int MAX_RECIPIENTS = 1000;
    static final Reply TOO_MANY = Reply.of(554, 5, 4, 6, "Alias expansion loop or too many recipients");

    private Transitions() {}

    static QueueEntry apply(QueueEntry e, Map<Integer, Result> results, Instant now, RetrySchedule retry) {
        List<RecipientState> states = new ArrayList<>(e.recipients());
        List<RecipientState> added = new ArrayList<>();
        for (Map.Entry<Integer, Result> m : results.entrySet()) {
            RecipientState before = states.get(m.getKey());
            if (before.isFinal()) {
                continue;
            }
            RecipientState after = switch (m.getValue()) {
                case Result.Delivered d -> before.after(new State.Delivered(d.reason(), d.duty()));
                case Result.Failed f -> before.after(new State.Failed(f.reason()));
                case Result.Deferred d -> deferred(before, d.reason(), now, retry, e.envelope().received());
                case Result.Expanded x -> expand(before, x, states.size() + added.size(), added, now);
            };
            states.set(m.getKey(), after);
        }
        states.addAll(added);
        return e.with(states);
    }

    private static RecipientState deferred(RecipientState before, Reason reason, Instant now, RetrySchedule retry,
                                           Instant received) {
        if (retry.expired(received, now)) {
            // RFC 5321 §4.5.4.1: give up; the DSN keeps the last temporary reason.
            return before.after(new State.Expired(reason));
        }
        return before.after(new State.Deferred(retry.next(now, before.attempts() + 1), reason));
    }

    private static RecipientState expand(RecipientState before, Result.Expanded x, int count,
                                         List<RecipientState> added, Instant now) {
        if (count + x.to().size() > MAX_RECIPIENTS) {
            return before.after(new State.Failed(new Reason.Local(TOO_MANY)));
        }
        Recipient r = before.recipient();
        for (Mailbox m : x.to()) {
            // RFC 3461 §5.2.2: the expansion reported SUCCESS already ("expanded"); failures still go back.
            Set<Notify> notify = EnumSet.noneOf(Notify.class);
            notify.addAll(r.notifyOn());
            notify.remove(Notify.SUCCESS);
            if (notify.isEmpty() && !r.notifyOn().isEmpty()) {
                notify.add(Notify.NEVER); // SUCCESS alone asked for no failure reports; empty would mean the default
            }
            String orcpt = r.orcpt() != null ? r.orcpt() : "rfc822;" + Xtext.encode(r.address().toString());
            added.add(RecipientState.fresh(new Recipient(m, notify, orcpt), now));
        }
        return before.after(new State.Expanded(x.reason()));
    }
}
