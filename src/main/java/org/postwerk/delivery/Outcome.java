package org.postwerk.delivery;

import java.util.List;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;

/**
 * The outcome of one delivery attempt for one recipient. Each keeps the reply that decided it, the command it
 * answered (null when no command was involved, e.g. a DNS failure) and the hop (null when none was reached),
 * so the DSN and the log can say exactly what happened.
 */
public sealed interface Outcome {
    Reply reply();

    String command();

    Hop hop();

    /** Accepted. {@code dsn}: how success is reported (RFC 3461 §6.2). */
    record Delivered(Reply reply, String command, Hop hop, DsnDuty dsn) implements Outcome {}

    /** Temporary failure: try again later. */
    record Deferred(Reply reply, String command, Hop hop) implements Outcome {}

    /** Permanent failure: bounce. */
    record Failed(Reply reply, String command, Hop hop) implements Outcome {}

    /** A local alias that forwards to these addresses (delivered to its own accounts, if any, already). */
    record Expanded(Reply reply, List<Mailbox> to) implements Outcome {
        public Expanded {
            to = List.copyOf(to);
        }

        @Override
        public String command() {
            return null;
        }

        @Override
        public Hop hop() {
            return Hop.LOCAL;
        }
    }

    /** Who reports success: we delivered finally, the next hop took DSN over, or it lacks DSN ("relayed"). */
    enum DsnDuty { FINAL, NEXT_HOP, RELAYED }
}
