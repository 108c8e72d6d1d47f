package org.postwerk.policy;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.config.DomainSyntax;
import org.postwerk.io.SpillBuffer;
import org.postwerk.queue.Envelope;
import org.postwerk.smtp.server.OutboundSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DKIM-signs submitted mail with every key of the sender's domain in {@code DATA/dkim/<domain>/} (RSA and
 * Ed25519 together give a dual signature). Keys are re-read at most once a minute, so {@code postwerk dkim
 * keygen} takes effect without a restart. A domain without keys is simply not signed.
 */
public final class DkimSigning implements OutboundSigner {
    private static final Logger LOG = LoggerFactory.getLogger(DkimSigning.class);
    private static final Duration RELOAD = Duration.ofMinutes(1);

    private final DkimKeys keys;
    private final Clock clock;
    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(DkimSigner signer, Instant loaded) {}

    public DkimSigning(DkimKeys keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public String sign(Envelope envelope, SpillBuffer content) throws IOException {
        if (envelope.sender().isEmpty()) {
            return "";
        }
        // Keys live under the A-label (dkim keygen), whichever spelling the sender used.
        DkimSigner signer = signer(DomainSyntax.canonical(envelope.sender().get().domain()));
        if (signer == null) {
            return "";
        }
        DkimSigner.Signing signing = signer.begin();
        content.writeTo(signing.asOutputStream());
        return signing.finish();
    }

    private DkimSigner signer(String domain) {
        Cached c = cache.get(domain);
        if (c == null || c.loaded().plus(RELOAD).isBefore(clock.instant())) {
            List<DkimSigner.Key> found;
            try {
                found = keys.forDomain(domain);
            } catch (IOException e) {
                LOG.warn("DKIM keys of {} unusable, not signing: {}", domain, e.toString());
                found = List.of();
            }
            c = new Cached(found.isEmpty() ? null : new DkimSigner(found, clock), clock.instant());
            cache.put(domain, c);
        }
        return c.signer();
    }
}
