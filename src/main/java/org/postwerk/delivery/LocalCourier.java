package org.postwerk.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.postwerk.account.Directory;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Reply;
import org.postwerk.store.MailboxStore;

/**
 * Final delivery into local mailboxes. The accounts of all recipients get one copy each (one two-phase
 * store write), with {@code Return-Path} first (RFC 5321 §4.4). Aliases that forward come back as
 * {@link Outcome.Expanded}: the queue delivers the new addresses like any other recipient.
 */
public final class LocalCourier implements Courier {
    static final Reply DELIVERED = Reply.of(250, 2, 0, 0, "Delivered to mailbox");
    static final Reply NO_SUCH_USER = Reply.of(550, 5, 1, 1, "No such user here");
    static final Reply STORE_FAILED = Reply.of(451, 4, 3, 0, "Local mailbox temporarily unavailable");

    private final Directory directory;
    private final MailboxStore store;

    public LocalCourier(Directory directory, MailboxStore store) {
        this.directory = directory;
        this.store = store;
    }

    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        List<Directory.Route> routes = recipients.stream().map(r -> directory.route(r.address())).toList();
        Set<String> accounts = new LinkedHashSet<>();
        for (Directory.Route r : routes) {
            if (r instanceof Directory.Route.Local l) {
                accounts.addAll(l.accounts());
            }
        }
        Outcome stored = accounts.isEmpty() ? null : store(envelope, List.copyOf(accounts), message);
        List<Outcome> out = new ArrayList<>();
        for (Directory.Route r : routes) {
            out.add(switch (r) {
                case Directory.Route.Local l when stored instanceof Outcome.Deferred d && !l.accounts().isEmpty() -> d;
                case Directory.Route.Local l when !l.forwards().isEmpty() -> new Outcome.Expanded(
                        Reply.of(250, 2, 1, 5, "Forwarded to " + l.forwards().size() + " address(es)"), l.forwards());
                case Directory.Route.Local l when l.accounts().isEmpty() -> new Outcome.Failed(NO_SUCH_USER, null, Hop.LOCAL);
                case Directory.Route.Local l -> stored;
                case Directory.Route.Unknown u -> new Outcome.Failed(NO_SUCH_USER, null, Hop.LOCAL);
                case Directory.Route.Remote x -> new Outcome.Failed(
                        Reply.of(550, 5, 4, 6, "Routing loop: local domain routed remote"), null, Hop.LOCAL);
            });
        }
        return out;
    }

    private Outcome store(Envelope envelope, List<String> accounts, Path message) {
        try (MailboxStore.Delivery d = store.open(accounts, MailboxStore.INBOX);
             InputStream in = Files.newInputStream(message)) {
            d.out().write(("Return-Path: " + envelope.reversePath() + "\r\n").getBytes(StandardCharsets.UTF_8));
            in.transferTo(d.out());
            d.commit();
            return new Outcome.Delivered(DELIVERED, null, Hop.LOCAL, Outcome.DsnDuty.FINAL);
        } catch (IOException e) {
            return new Outcome.Deferred(STORE_FAILED.withText("Local mailbox temporarily unavailable: " + e), null,
                    Hop.LOCAL);
        }
    }
}
