package org.postwerk.queue;

import java.util.List;
import org.postwerk.smtp.Mailbox;

/**
 * The result of one delivery attempt for one recipient, as the queue records it.
 *
 * @param status   DELIVERED, RELAYED, EXPANDED, DEFERRED or FAILED
 * @param reply    the reply that decided it, as on the wire ({@code 550 5.1.1 no such user}), for DSN and logs
 * @param remoteMta the host that gave the reply ({@code mx.example.net [192.0.2.1]}), or null when local
 * @param command  the command the reply answered ({@code RCPT TO:<b@example.net>}), or null
 * @param expandTo for EXPANDED: the addresses that replace this recipient
 */
public record Result(Status status, String reply, String remoteMta, String command, List<Mailbox> expandTo) {
    public Result {
        expandTo = List.copyOf(expandTo);
    }

    public static Result of(Status status, String reply, String remoteMta, String command) {
        return new Result(status, reply, remoteMta, command, List.of());
    }
}
