package org.postwerk.delivery;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.postwerk.account.Directory;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Intake;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Notify;
import org.postwerk.store.MailboxStore;

/**
 * Where the SMTP server's messages go first. A message whose recipients are all local accounts (no
 * forwarding) is written straight into their Maildirs — one durable write, no queue round-trip — with the
 * Return-Path of final delivery (RFC 5321 §4.4). Anything else (relay, forwarding aliases) goes to the
 * durable queue, which delivers local and remote recipients alike.
 */
public final class Inbound implements Intake {
    private final Directory directory;
    private final MailboxStore store;
    private final Intake queue;

    /** @param queue the durable queue, or null when relaying is not available (then such messages get 451) */
    public Inbound(Directory directory, MailboxStore store, Intake queue) {
        this.directory = directory;
        this.store = store;
        this.queue = queue;
    }

    @Override
    public Draft open(Envelope envelope) throws IOException {
        return open(envelope, MailboxStore.INBOX);
    }

    @Override
    public Draft open(Envelope envelope, String folder) throws IOException {
        Set<String> accounts = localAccounts(envelope);
        if (accounts == null) {
            if (queue == null) {
                throw new IOException("message needs the queue, which is not configured");
            }
            return queue.open(envelope);
        }
        MailboxStore.Delivery delivery = store.open(java.util.List.copyOf(accounts),
                folder == null ? MailboxStore.INBOX : folder);
        try {
            delivery.out().write(("Return-Path: " + envelope.reversePath() + "\r\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            delivery.close();
            throw e;
        }
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

    /** The accounts when every recipient is delivered locally and only locally; null otherwise. */
    private Set<String> localAccounts(Envelope envelope) {
        Set<String> accounts = new LinkedHashSet<>();
        for (Recipient r : envelope.recipients()) {
            if (r.notifyOn().contains(Notify.SUCCESS)) {
                return null; // success DSNs are the queue's job
            }
            if (!(directory.route(r.address()) instanceof Directory.Route.Local local)
                    || !local.forwards().isEmpty() || local.accounts().isEmpty()) {
                return null;
            }
            accounts.addAll(local.accounts());
        }
        return accounts;
    }
}
