package org.postwerk.srs;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.postwerk.account.Directory;
import org.postwerk.config.Addresses;
import org.postwerk.config.Network;
import org.postwerk.delivery.Courier;
import org.postwerk.delivery.Outcome;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Mailbox;

/**
 * In front of the remote courier: gives the copy of a forwarded message an SRS sender. A message needs one
 * when a client that neither logged in nor is in {@code relay_networks} sent it: such a client can reach
 * another domain only through one of our aliases (anything else is {@code 550 5.7.1} at RCPT), and its sender's
 * SPF does not list us. Our own clients' mail, senders in our own or the excluded domains, and bounces
 * ({@code <>}) keep their sender. The queue keeps the original envelope: delivery reports go to the real sender.
 */
public final class SrsCourier implements Courier {
    private final Courier remote;
    private final Srs srs;
    private final Directory directory;
    private final List<Network> trusted;
    private final List<String> excluded;

    /**
     * @param trusted  the {@code relay_networks}, whose mail is our own clients'
     * @param excluded sender domains never rewritten (lower case), besides the local ones
     */
    public SrsCourier(Courier remote, Srs srs, Directory directory, List<Network> trusted, List<String> excluded) {
        this.remote = remote;
        this.srs = srs;
        this.directory = directory;
        this.trusted = List.copyOf(trusted);
        this.excluded = List.copyOf(excluded);
    }

    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        return remote.deliver(rewritten(envelope), recipients, message);
    }

    /** The envelope as it goes to the next hop. */
    Envelope rewritten(Envelope e) {
        if (e.sender().isEmpty() || e.authUser() != null || fromTrusted(e.client())) {
            return e;
        }
        Mailbox sender = e.sender().get();
        if (directory.isLocalDomain(sender.domain()) || excluded.contains(sender.domainKey())) {
            return e;
        }
        return e.withSender(Optional.of(srs.forward(sender)));
    }

    /** Mail from a trusted client, or put in by the server itself (no client address). */
    private boolean fromTrusted(String client) {
        if (client == null || client.isEmpty()) {
            return true;
        }
        Optional<InetAddress> address = Addresses.literal(client);
        return address.isEmpty() || Network.anyContains(trusted, address.get());
    }
}
