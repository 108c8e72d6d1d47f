package org.postwerk.delivery;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.postwerk.account.Directory;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.queue.Route;

/**
 * Sends each recipient along its route: local ones to the mailboxes, remote ones to the remote courier (MX or a
 * per-domain override). A recipient queued without a route (sendmail, DSNs, alias targets, older spool files) is
 * looked up in the directory now, the same way the session does at RCPT. The scheduler calls it once per domain.
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
        Outcome[] out = new Outcome[recipients.size()];
        List<Integer> localAt = new ArrayList<>();
        List<Integer> remoteAt = new ArrayList<>();
        List<Recipient> routed = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = resolve(recipients.get(i));
            routed.add(r);
            switch (r.route()) {
                case Route.Local l -> localAt.add(i);
                case Route.Remote x -> remoteAt.add(i);
                case Route.Unresolved u -> out[i] = new Outcome.Failed(Outcome.ours(LocalCourier.NO_SUCH_USER),
                        Hop.LOCAL);
            }
        }
        send(local, envelope, routed, localAt, message, out);
        send(remote, envelope, routed, remoteAt, message, out);
        return Arrays.asList(out);
    }

    /** The recipient with a route: its own, or the directory's now; still unresolved when nobody is there. */
    private Recipient resolve(Recipient r) {
        if (!(r.route() instanceof Route.Unresolved)) {
            return r;
        }
        return switch (directory.route(r.address())) {
            case Directory.Route.Local l -> r.routed(Route.local(l.accounts(), l.forwards()));
            case Directory.Route.Remote x -> r.routed(new Route.Remote());
            case Directory.Route.Unknown u -> r;
        };
    }

    private static void send(Courier courier, Envelope envelope, List<Recipient> routed, List<Integer> at,
                             Path message, Outcome[] out) {
        if (at.isEmpty()) {
            return;
        }
        List<Outcome> outcomes = courier.deliver(envelope, at.stream().map(routed::get).toList(), message);
        for (int k = 0; k < at.size(); k++) {
            out[at.get(k)] = outcomes.get(k);
        }
    }
}
