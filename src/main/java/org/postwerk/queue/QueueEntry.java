package org.postwerk.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One queued message: its envelope (recipients as first accepted), each recipient's state (expansions
 * appended), whether an operator holds it, and the size of the message file.
 */
public record QueueEntry(Envelope envelope, List<RecipientState> recipients, boolean held, long size) {
    public QueueEntry {
        recipients = List.copyOf(recipients);
    }

    public String id() {
        return envelope.id();
    }

    /** True when every recipient is final and every DSN it asks for has been queued. */
    public boolean isDone() {
        return recipients.stream().allMatch(r -> r.isFinal() && r.reported());
    }

    /** The earliest next attempt among recipients still to deliver, if any. */
    public Optional<Instant> nextAttempt() {
        return recipients.stream().flatMap(r -> r.nextAttempt().stream()).min(Instant::compareTo);
    }

    /** The latest reply of a recipient still waiting (for {@code queue list}), as on the wire; or null. */
    public String lastError() {
        return recipients.stream().filter(r -> !r.isFinal()).flatMap(r -> r.reason().stream())
                .map(r -> r.reply().toString()).reduce((a, b) -> b).orElse(null);
    }

    QueueEntry with(List<RecipientState> states) {
        return new QueueEntry(envelope, states, held, size);
    }

    QueueEntry held(boolean h) {
        return new QueueEntry(envelope, recipients, h, size);
    }
}
