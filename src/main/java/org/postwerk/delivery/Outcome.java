package org.postwerk.delivery;

import java.util.List;
import org.postwerk.queue.DsnDuty;
import org.postwerk.queue.Reason;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;

/**
 * The outcome of one delivery attempt for one recipient. Each keeps the typed {@link Reason} that decided it
 * (a remote MTA's reply with the command it answered, or our own finding) and the hop it was about, for the log
 * (null when no host was tried), so the DSN and the log can say exactly what happened.
 */
public sealed interface Outcome {
    Reason reason();

    Hop hop();

    default Reply reply() {
        return reason().reply();
    }

    /** The command a remote reply answered, or null. */
    default String command() {
        return reason() instanceof Reason.Remote r ? r.command() : null;
    }

    /** Accepted. {@code dsn}: how success is reported (RFC 3461 §6.2). */
    record Delivered(Reason reason, Hop hop, DsnDuty dsn) implements Outcome {}

    /** Temporary failure: try again later. */
    record Deferred(Reason reason, Hop hop) implements Outcome {}

    /** Permanent failure: bounce. */
    record Failed(Reason reason, Hop hop) implements Outcome {}

    /** A local alias that forwards to these addresses (delivered to its own accounts, if any, already). */
    record Expanded(Reason reason, List<Mailbox> to) implements Outcome {
        public Expanded {
            to = List.copyOf(to);
        }

        @Override
        public Hop hop() {
            return Hop.LOCAL;
        }
    }

    /** Our own finding, e.g. a DNS failure: no remote MTA answered. */
    static Reason ours(Reply reply) {
        return new Reason.Local(reply);
    }
}
