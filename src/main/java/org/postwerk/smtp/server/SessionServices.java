package org.postwerk.smtp.server;

import org.postwerk.net.TlsUpgrade;
import java.nio.file.Path;
import java.time.Clock;
import org.postwerk.account.Directory;
import org.postwerk.io.DiskSpace;
import org.postwerk.queue.Intake;

/**
 * What a session talks to. {@code tls} and {@code authentication} may be null (no TLS / no AUTH on offer).
 * Messages are held in memory up to {@code spillThreshold} bytes while received, beyond that in
 * {@code spillDir}, until they are checked and handed to the intake. {@code disk} says whether there is room
 * for another message (else 452 4.3.1 at MAIL and RCPT). {@code screening} refuses clients and greylists
 * recipients on a public port. {@code rates} are the rate limits all SMTP sessions share.
 */
public record SessionServices(Directory directory, Intake intake, RelayPolicy relay, TlsUpgrade tls,
                              Authentication authentication, InboundChecks checks, OutboundSigner signer,
                              Path spillDir, int spillThreshold, Clock clock, DiskSpace disk, Screening screening,
                              RateLimits rates) {
    /** Without screening (no DNS lists, pregreet test or greylisting) and without rate limits. */
    public SessionServices(Directory directory, Intake intake, RelayPolicy relay, TlsUpgrade tls,
                           Authentication authentication, InboundChecks checks, OutboundSigner signer,
                           Path spillDir, int spillThreshold, Clock clock, DiskSpace disk) {
        this(directory, intake, relay, tls, authentication, checks, signer, spillDir, spillThreshold, clock, disk,
                Screening.NONE, RateLimits.NONE);
    }

    /** The same services with other inbound checks (a listener's milters around the common ones). */
    public SessionServices withChecks(InboundChecks other) {
        return new SessionServices(directory, intake, relay, tls, authentication, other, signer, spillDir,
                spillThreshold, clock, disk, screening, rates);
    }
}
