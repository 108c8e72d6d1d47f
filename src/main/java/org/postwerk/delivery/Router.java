package org.postwerk.delivery;

import java.nio.file.Path;
import java.util.List;
import org.postwerk.account.Directory;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;

/**
 * Chooses the courier for a destination domain: our own domains go to the local mailboxes, everything else
 * to the remote courier (MX or a per-domain override). The scheduler calls it once per domain.
 */
public final class Router implements Courier {
    private final Directory directory;
    private final Courier local;
    private final Courier remote;

    public Router(Directory directory, Courier local, Courier remote) {
        this.directory = directory;
        this.local = local;
        this.remote = remote;
    }

    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        String domain = recipients.getFirst().address().domain();
        return (directory.isLocalDomain(domain) ? local : remote).deliver(envelope, recipients, message);
    }
}
