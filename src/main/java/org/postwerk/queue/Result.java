package org.postwerk.queue;

import java.util.List;
import org.postwerk.smtp.Mailbox;

/** The result of one delivery attempt for one recipient, as the queue records it. */
public sealed interface Result {
    Reason reason();

    /** Accepted; {@code duty}: who reports success. */
    record Delivered(Reason reason, DsnDuty duty) implements Result {}

    /** Temporary failure: retried on the schedule until the maximum lifetime. */
    record Deferred(Reason reason) implements Result {}

    /** Permanent failure. */
    record Failed(Reason reason) implements Result {}

    /** An alias: these addresses replace the recipient (delivered to its own accounts, if any, already). */
    record Expanded(Reason reason, List<Mailbox> to) implements Result {
        public Expanded {
            to = List.copyOf(to);
        }
    }
}
