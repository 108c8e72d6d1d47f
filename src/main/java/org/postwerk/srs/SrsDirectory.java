package org.postwerk.srs;

import java.util.List;
import java.util.Set;
import org.postwerk.account.Directory;
import org.postwerk.smtp.Mailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account directory with SRS addresses at our SRS domain in it: a valid one routes like an alias that
 * forwards to the original sender (or, for a sender of ours, to the sender's own accounts); a forged, damaged
 * or expired one is an unknown user, refused at RCPT with {@code 550 5.1.1}. Everything else is the
 * directory's. The SRS domain counts as local, so that bounces to it are taken.
 */
public final class SrsDirectory implements Directory {
    private static final Logger LOG = LoggerFactory.getLogger(SrsDirectory.class);

    private final Directory directory;
    private final Srs srs;

    public SrsDirectory(Directory directory, Srs srs) {
        this.directory = directory;
        this.srs = srs;
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return domain.equalsIgnoreCase(srs.domain()) || directory.isLocalDomain(domain);
    }

    @Override
    public Route route(Mailbox recipient) {
        return switch (srs.reverse(recipient)) {
            case Srs.Reversal.NotSrs n -> directory.route(recipient);
            case Srs.Reversal.Invalid i -> {
                LOG.info("event=srs-invalid recipient={} reason=\"{}\"",
                        org.postwerk.log.Sanitize.log(recipient.toString()), i.reason());
                yield new Route.Unknown();
            }
            case Srs.Reversal.Original o -> directory.route(o.original()) instanceof Route.Local l
                    ? l : new Route.Local(Set.of(), List.of(o.original()));
        };
    }
}
