package org.postwerk.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.smtp.Notify;
import org.postwerk.store.MailboxStore;

/**
 * Where the SMTP server's messages go first. A message whose recipients are all routed to local accounts (no
 * forwarding) in one folder is written straight into their mailboxes — one durable write, no queue round-trip —
 * along the same local-delivery path as the queue's ({@link Mailboxes}). Anything else (relay, forwarding
 * aliases, NOTIFY=SUCCESS) goes to the durable queue with its routes, which delivers local and remote recipients
 * alike: a folder chosen after DATA (a DMARC quarantine) holds either way.
 */
public final class Inbound implements Intake {
    private final Mailboxes mailboxes;
    private final Intake queue;

    /** @param queue the durable queue, or null when relaying is not available (then such messages get 451) */
    public Inbound(MailboxStore store, Intake queue) {
        this.mailboxes = new Mailboxes(store);
        this.queue = queue;
    }

    @Override
    public Draft open(Envelope envelope) throws IOException {
        Map<String, List<String>> folders = Mailboxes.byFolder(envelope.recipients());
        if (!direct(envelope) || folders.size() != 1) {
            if (queue == null) {
                throw new IOException("message needs the queue, which is not configured");
            }
            return queue.open(envelope);
        }
        Map.Entry<String, List<String>> only = folders.entrySet().iterator().next();
        MailboxStore.Delivery delivery = mailboxes.open(envelope, only.getValue(), only.getKey());
        return new Draft() {
            @Override
            public OutputStream out() {
                return delivery.out();
            }

            @Override
            public void commit() throws IOException {
                delivery.commit();
            }

            @Override
            public void close() {
                delivery.close();
            }
        };
    }

    /** True when every recipient goes to local accounts and only there, and none asked for a success DSN. */
    private static boolean direct(Envelope envelope) {
        for (Recipient r : envelope.recipients()) {
            if (r.notifyOn().contains(Notify.SUCCESS)) {
                return false; // success DSNs are the queue's job
            }
            if (!(r.route() instanceof Route.Local l) || !l.forwards().isEmpty() || l.accounts().isEmpty()) {
                return false;
            }
        }
        return true;
    }
}
