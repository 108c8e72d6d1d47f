package org.postwerk.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;
import org.postwerk.store.MailboxStore;

/**
 * The one local-delivery path, for the session's direct write ({@link Inbound}) and the queue's
 * ({@link LocalCourier}) alike: which accounts get a copy in which folder, from the routes decided at RCPT, and
 * one two-phase store write per folder with the {@code Return-Path} of final delivery first (RFC 5321 §4.4).
 */
final class Mailboxes {
    private final MailboxStore store;

    Mailboxes(MailboxStore store) {
        this.store = store;
    }

    /** The accounts to store into, by folder, each account once per folder, in the order first met. */
    static Map<String, List<String>> byFolder(List<Recipient> recipients) {
        Map<String, Set<String>> folders = new LinkedHashMap<>();
        for (Recipient r : recipients) {
            if (r.route() instanceof Route.Local l && !l.accounts().isEmpty()) {
                folders.computeIfAbsent(l.folder(), f -> new LinkedHashSet<>()).addAll(l.accounts());
            }
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        folders.forEach((f, accounts) -> out.put(f, new ArrayList<>(accounts)));
        return out;
    }

    /** Opens one delivery into {@code folder} of each account; the caller writes the message and commits. */
    MailboxStore.Delivery open(Envelope envelope, List<String> accounts, String folder) throws IOException {
        MailboxStore.Delivery d = store.open(accounts, folder);
        try {
            d.out().write(("Return-Path: " + envelope.reversePath() + "\r\n").getBytes(StandardCharsets.UTF_8));
            return d;
        } catch (IOException e) {
            d.close();
            throw e;
        }
    }
}
