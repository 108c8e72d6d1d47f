package org.postwerk.acme;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postwerk.config.Config;
import org.postwerk.tls.CertifiedKey;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.ServerCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the ACME certificate fresh on one virtual thread: it orders one when there is none, when it lacks a
 * configured name, when its renewal is due, or when {@code postwerk acme renew} asks; after a failure it tries
 * again later, waiting twice as long each time (one minute up to six hours), as RFC 8555 §6.6 asks of clients that
 * hit limits. The TLS listeners read the new file themselves. One log line per event.
 */
public final class AcmeRenewal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeRenewal.class);
    /** How often the thread looks for a renewal request while it waits. */
    static final Duration POLL = Duration.ofSeconds(2);
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration LAST_RETRY = Duration.ofHours(6);

    private final AcmeIssuer issuer;
    private final AcmeFiles files;
    private final List<String> names;
    private final Duration renewBefore;
    private final Clock clock;
    private volatile Thread thread;

    AcmeRenewal(AcmeIssuer issuer, AcmeFiles files, List<String> names, Duration renewBefore, Clock clock) {
        this.issuer = issuer;
        this.files = files;
        this.names = List.copyOf(names);
        this.renewBefore = renewBefore;
        this.clock = clock;
    }

    /**
     * The renewal of {@code c}'s {@code [acme]} section, answering challenges through {@code http01} (the
     * {@code http} listener) and {@code certificates} (the {@code web} listener). Not started.
     */
    public static AcmeRenewal of(Config c, Http01Answers http01, ServerCertificates certificates) throws IOException {
        Optional<SSLContext> trust = c.acme().caFile().isPresent()
                ? Optional.of(ClientTls.systemTrustPlus(c.acme().caFile().get()).context()) : Optional.empty();
        List<String> names = c.acme().domains(c.hostname(), c.localDomains());
        AcmeFiles files = AcmeFiles.in(c.dataDir());
        return new AcmeRenewal(new AcmeIssuer(c.acme(), names, files, http01, certificates, trust), files, names,
                c.acme().renewBefore(), Clock.systemUTC());
    }

    public void start() {
        thread = Thread.ofVirtual().name("acme-renewal").start(this::run);
    }

    private void run() {
        int failures = 0;
        Instant next = due(files.current(), names, renewBefore);
        LOG.info("event=acme-scheduled names={} at={}", String.join(",", names), next);
        while (!Thread.currentThread().isInterrupted()) {
            String why = waitUntil(next);
            if (why == null) {
                return;
            }
            AcmeIssuer.Outcome outcome = issuer.issue();
            switch (outcome) {
                case AcmeIssuer.Issued i -> {
                    failures = 0;
                    next = due(Optional.of(i.certificate()), names, renewBefore);
                    LOG.info("event=acme-issued names={} reason={} not_after={} renew_at={}",
                            String.join(",", i.certificate().names()), why, i.certificate().notAfter(), next);
                }
                case AcmeIssuer.Failed f -> {
                    Duration wait = backoff(failures++);
                    next = clock.instant().plus(wait);
                    LOG.warn("event=acme-failed names={} reason=\"{}\" retry_in={}", String.join(",", names),
                            f.reason().replace('"', '\''), wait);
                }
            }
        }
    }

    /** Sleeps until {@code when} or a renewal request; says which ("due", "requested"), null when stopped. */
    private String waitUntil(Instant when) {
        try {
            while (true) {
                if (files.takeRenewRequest()) {
                    return "requested";
                }
                Duration left = Duration.between(clock.instant(), when);
                if (left.isNegative() || left.isZero()) {
                    return "due";
                }
                Thread.sleep(left.compareTo(POLL) < 0 ? left : POLL);
            }
        } catch (InterruptedException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("event=acme-failed reason=\"cannot read the renewal request: {}\"", e.getMessage());
            return "due";
        }
    }

    /**
     * When to order next: now without a certificate or when it lacks one of {@code names}; else
     * {@code renewBefore} before it expires, or after two thirds of its life for a certificate that lives shorter
     * than {@code renewBefore} (a short-lived or test certificate would otherwise be renewed without end).
     */
    static Instant due(Optional<CertifiedKey> current, List<String> names, Duration renewBefore) {
        if (current.isEmpty() || !names.stream().allMatch(current.get()::answersFor)) {
            return Instant.EPOCH;
        }
        Instant notBefore = current.get().leaf().getNotBefore().toInstant();
        Instant notAfter = current.get().notAfter();
        Duration third = Duration.between(notBefore, notAfter).dividedBy(3);
        return notAfter.minus(renewBefore.compareTo(third) < 0 ? renewBefore : third);
    }

    /** One minute after the first failure, doubling up to six hours. */
    static Duration backoff(int failuresBefore) {
        Duration d = FIRST_RETRY.multipliedBy(1L << Math.min(failuresBefore, 20));
        return d.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : d;
    }

    @Override
    public void close() {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
