package org.postwerk.smtp.server;

import org.postwerk.net.ConnectionLimiter;
import org.postwerk.net.SessionMeters;
import org.postwerk.log.Sanitize;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.postwerk.smtp.Command;
import org.postwerk.smtp.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AUTH command of one session (RFC 4954): when it may be tried (only inside TLS, after EHLO, outside a
 * transaction, not while the client's failed logins are used up), the SASL dialogue, and what a failure costs
 * (a delay, the per-client count, the session closed after too many).
 */
final class AuthVerb {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);

    /** Where the session stands when AUTH arrives. */
    record State(boolean tls, boolean esmtp, boolean inTransaction, InetSocketAddress client, String address) {}

    private final String session;
    private final SessionSettings settings;
    private final SessionServices services;
    private final ConnectionLimiter limiter;
    private final SessionMeters meters;
    private String user;
    private int failures;

    AuthVerb(String session, SessionSettings settings, SessionServices services, ConnectionLimiter limiter,
             SessionMeters meters) {
        this.session = session;
        this.meters = meters;
        this.settings = settings;
        this.services = services;
        this.limiter = limiter;
    }

    /** The logged-in user, or null. */
    String user() {
        return user;
    }

    Reply run(Command.Auth a, State s, SaslDialogue.Lines lines) throws IOException {
        if (services.authentication() == null) {
            return Reply.of(502, 5, 5, 1, "AUTH not available");
        }
        if (!s.tls()) {
            return Reply.of(538, 5, 7, 11, "Encryption required for requested authentication mechanism");
        }
        if (limiter.authBlocked(s.client().getAddress())) {
            LOG.info("session={} event=auth-blocked client={}", session, s.address());
            return Reply.of(454, 4, 7, 0, "Too many failed logins from your address, try again later");
        }
        if (user != null) {
            return Reply.of(503, 5, 5, 1, "Already authenticated");
        }
        if (!s.esmtp()) {
            return Reply.of(503, 5, 5, 1, "AUTH needs EHLO"); // RFC 4954 §4: an ESMTP extension
        }
        if (s.inTransaction()) {
            return Reply.of(503, 5, 5, 1, "AUTH not allowed during a mail transaction");
        }
        Authentication.Exchange exchange = services.authentication().begin(a.mechanism(), s.client().getAddress());
        if (exchange == null) {
            return Reply.of(504, 5, 5, 4, "Unrecognized authentication mechanism");
        }
        return switch (SaslDialogue.run(exchange, a.initialResponse(), lines)) {
            case SaslDialogue.Outcome.Authenticated ok -> {
                user = ok.user();
                LOG.info("session={} event=auth mechanism={} user={}", session, a.mechanism(), Sanitize.log(ok.user()));
                yield Reply.of(235, 2, 7, 0, "Authentication successful");
            }
            case SaslDialogue.Outcome.Failed f -> failed(a.mechanism(), f.reason(), s);
            case SaslDialogue.Outcome.Aborted ab -> ab.reply();
            case SaslDialogue.Outcome.Busy b -> {
                LOG.info("session={} event=auth-busy client={} reason={}", session, s.address(), Sanitize.log(b.reason()));
                yield SaslDialogue.BUSY;
            }
        };
    }

    private Reply failed(String mechanism, String reason, State s) {
        failures++;
        meters.authFailed();
        limiter.authFailed(s.client().getAddress());
        LOG.info("session={} event=auth-failed mechanism={} client={} reason={}", session, mechanism, s.address(),
                Sanitize.log(reason));
        try {
            Thread.sleep(settings.limits().authFailureDelay()); // slows guessing; costs us a parked virtual thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failures >= settings.limits().authFailures()) {
            return Reply.of(421, 4, 7, 0, "Too many authentication failures, closing connection");
        }
        return Reply.of(535, 5, 7, 8, "Authentication credentials invalid");
    }
}
