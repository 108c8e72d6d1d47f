package org.postwerk.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postwerk.queue.DsnDuty;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.smtp.Reply;
import org.postwerk.store.MailboxStore;

/**
 * Final delivery of queued mail into local mailboxes, along the routes the recipients carry (decided at RCPT,
 * or by the {@link Router} for those queued without one): one copy per account and folder ({@link Mailboxes},
 * the same path as direct delivery). Aliases that forward come back as {@link Outcome.Expanded}: the queue
 * delivers the new addresses like any other recipient.
 */
public final class LocalCourier implements Courier {
    static final Reply DELIVERED = Reply.of(250, 2, 0, 0, "Delivered to mailbox");
    static final Reply NO_SUCH_USER = Reply.of(550, 5, 1, 1, "No such user here");
    static final Reply STORE_FAILED = Reply.of(451, 4, 3, 0, "Local mailbox temporarily unavailable");

    private final Mailboxes mailboxes;

    public LocalCourier(MailboxStore store) {
        this.mailboxes = new Mailboxes(store);
    }

    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        Map<String, Outcome> stored = new HashMap<>();
        Mailboxes.byFolder(recipients).forEach((folder, accounts) ->
                stored.put(folder, store(envelope, accounts, folder, message)));
        List<Outcome> out = new ArrayList<>();
        for (Recipient r : recipients) {
            if (!(r.route() instanceof Route.Local l)) {
                out.add(new Outcome.Failed(Outcome.ours(NO_SUCH_USER), Hop.LOCAL)); // the router sends only local ones
                continue;
            }
            Outcome copy = l.accounts().isEmpty() ? null : stored.get(l.folder());
            if (copy instanceof Outcome.Deferred) {
                out.add(copy); // the alias's own copy failed: try it all again
            } else if (!l.forwards().isEmpty()) {
                out.add(new Outcome.Expanded(Outcome.ours(Reply.of(250, 2, 1, 5, "Forwarded to "
                        + l.forwards().size() + " address(es)")), l.forwards()));
            } else {
                out.add(copy == null ? new Outcome.Failed(Outcome.ours(NO_SUCH_USER), Hop.LOCAL) : copy);
            }
        }
        return out;
    }

    private Outcome store(Envelope envelope, List<String> accounts, String folder, Path message) {
        try (MailboxStore.Delivery d = mailboxes.open(envelope, accounts, folder);
             InputStream in = Files.newInputStream(message)) {
            in.transferTo(d.out());
            d.commit();
            return new Outcome.Delivered(Outcome.ours(DELIVERED), Hop.LOCAL, DsnDuty.FINAL);
        } catch (IOException e) {
            return new Outcome.Deferred(Outcome.ours(STORE_FAILED.withText("Local mailbox temporarily unavailable: "
                    + e)), Hop.LOCAL);
        }
    }
}
