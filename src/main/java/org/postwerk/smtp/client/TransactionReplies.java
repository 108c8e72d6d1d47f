package org.postwerk.smtp.client;

import java.util.List;
import org.postwerk.smtp.Reply;

/**
 * What the peer said to one transaction. {@code rcpts} lines up with the request's recipients; {@code data} is
 * the reply to the end of data (or to the last BDAT), null when no recipient was accepted.
 */
public record TransactionReplies(Reply mail, List<Reply> rcpts, Reply data) {
    public TransactionReplies {
        rcpts = List.copyOf(rcpts);
    }

    /** The reply that decides recipient {@code i}, and the command it answered. */
    public Decisive decisive(int i, MailRequest request) {
        if (!mail.isPositive()) {
            return new Decisive(mail, "MAIL FROM:" + request.reversePath());
        }
        Reply r = rcpts.get(i);
        if (!r.isPositive()) {
            return new Decisive(r, "RCPT TO:<" + request.recipients().get(i).address() + ">");
        }
        return new Decisive(data, "end of data");
    }

    public record Decisive(Reply reply, String command) {}
}
