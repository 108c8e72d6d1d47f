package org.postwerk.imap.server;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.postwerk.imap.ImapCommand;
import org.postwerk.imap.ReadOutcome;
import org.postwerk.imap.ResponseCode;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.sasl.Sasl;
import org.postwerk.sasl.SaslMechanism;
import org.postwerk.sasl.Step;
import org.postwerk.log.Sanitize;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LOGIN and AUTHENTICATE (RFC 9051 §6.2.2-6.2.3, SASL-IR of RFC 4959) with the same accounts and rules as
 * submission: only inside TLS, the per-client failure count shared with SMTP, a delay after each failure,
 * and the session closed after too many. SCRAM's server-final message goes out as a last continuation
 * request, answered by an empty line (as Dovecot does), then OK.
 */
final class Login {
    private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);
    static final ResponseCode FAILED = ResponseCode.AUTHENTICATIONFAILED;

    private final ImapSession session;

    Login(ImapSession session) {
        this.session = session;
    }

    ImapSession.Reply login(ImapCommand.Login l) throws IOException {
        ImapSession.Reply refused = refusal();
        if (refused != null) {
            return refused;
        }
        byte[] plain = ("\0" + l.user() + "\0" + l.password()).getBytes(StandardCharsets.UTF_8);
        SaslMechanism m = session.services().sasl().server("PLAIN", session.client().getAddress()).orElseThrow();
        return finish(m.start(plain), "LOGIN", l.tag());
    }

    ImapSession.Reply authenticate(ImapCommand.Authenticate a) throws IOException {
        ImapSession.Reply refused = refusal();
        if (refused != null) {
            return refused;
        }
        Optional<SaslMechanism> mechanism = a.mechanism().equalsIgnoreCase("LOGIN") ? Optional.empty()
                : session.services().sasl().server(a.mechanism(), session.client().getAddress());
        if (mechanism.isEmpty()) {
            return ImapSession.Reply.no(null, "Unsupported authentication mechanism");
        }
        SaslMechanism m = mechanism.get();
        Step step;
        if (a.initialResponse().isPresent()) {
            Optional<byte[]> ir = Sasl.decode(a.initialResponse().get());
            if (ir.isEmpty()) {
                return ImapSession.Reply.bad("Invalid base64 in the initial response");
            }
            step = m.start(ir.get());
        } else {
            step = m.start(null);
        }
        while (step instanceof Step.Challenge c) { // a Busy or Failure ends the loop too
            Optional<byte[]> answer = ask(c.data());
            if (answer == null) {
                return ImapSession.Reply.bad("Authentication cancelled"); // RFC 9051 §6.2.2: "*"
            }
            if (answer.isEmpty()) {
                return ImapSession.Reply.bad("Invalid base64 in the response");
            }
            step = m.next(answer.get());
        }
        if (step instanceof Step.Success s && s.finalServerData() != null) {
            Optional<byte[]> answer = ask(s.finalServerData());
            if (answer == null || answer.isEmpty() || answer.get().length != 0) {
                return failed(a.mechanism(), "no empty answer to the server's final message");
            }
            step = new Step.Success(s.user(), null);
        }
        return finish(step, a.mechanism().toUpperCase(java.util.Locale.ROOT), a.tag());
    }

    /** Sends a challenge, reads the answer: the data, empty Optional for bad base64, null for "*". */
    private Optional<byte[]> ask(byte[] challenge) throws IOException {
        session.out().continuation(Sasl.encode(challenge));
        session.out().flush();
        ReadOutcome r = session.reader().readLine();
        if (!(r instanceof ReadOutcome.Ready ready)) {
            if (r instanceof ReadOutcome.Eof) {
                throw new EOFException();
            }
            return Optional.empty();
        }
        String line = new String(ready.command().lines().get(0), StandardCharsets.US_ASCII).strip();
        if (line.equals("*")) {
            return null;
        }
        return line.isEmpty() ? Optional.of(new byte[0]) : Sasl.decode(line);
    }

    /** Why a login may not even be tried now, or null. */
    private ImapSession.Reply refusal() {
        if (session.tls() == null) {
            return ImapSession.Reply.no(ResponseCode.PRIVACYREQUIRED, "Login only over TLS: use STARTTLS or port 993");
        }
        if (session.limiter().authBlocked(session.client().getAddress())) {
            LOG.info("session={} event=auth-blocked client={}", session.sessionId(), session.addr());
            return ImapSession.Reply.no(ResponseCode.UNAVAILABLE, "Too many failed logins from your address, try later");
        }
        return null;
    }

    private ImapSession.Reply finish(Step step, String mechanism, String tag) throws IOException {
        return switch (step) {
            case Step.Success s -> {
                if (!session.services().slots().tryEnter(s.user().toLowerCase(java.util.Locale.ROOT))) {
                    LOG.info("session={} event=login-refused user={} reason=\"too many sessions\"",
                            session.sessionId(), Sanitize.log(s.user()));
                    yield ImapSession.Reply.no(ResponseCode.LIMIT, "Too many sessions for this account");
                }
                MailAccess mail;
                try {
                    mail = session.services().mail().open(s.user());
                } catch (IOException | RuntimeException e) {
                    session.services().slots().exit(s.user().toLowerCase(java.util.Locale.ROOT));
                    throw e;
                }
                session.loggedIn(s.user(), mail);
                LOG.info("session={} event=login user={} client={} tls={} mechanism={}", session.sessionId(),
                        Sanitize.log(s.user()), session.addr(), session.tls().protocol(), mechanism);
                yield ImapSession.Reply.ok(new ResponseCode.Atom("CAPABILITY " + session.capabilities()), "Logged in");
            }
            case Step.Failure f -> failed(mechanism, f.reason());
            case Step.Challenge c -> failed(mechanism, "unexpected challenge");
            case Step.Busy b -> {
                LOG.info("session={} event=auth-busy client={} reason={}", session.sessionId(), session.addr(),
                        Sanitize.log(b.reason()));
                yield ImapSession.Reply.no(ResponseCode.UNAVAILABLE, "Temporary authentication failure, try again later");
            }
        };
    }

    private ImapSession.Reply failed(String mechanism, String reason) throws IOException {
        session.meters().authFailed();
        session.limiter().authFailed(session.client().getAddress());
        LOG.info("session={} event=auth-failed mechanism={} client={} reason={}", session.sessionId(), mechanism,
                session.addr(), Sanitize.log(reason));
        try {
            Thread.sleep(session.settings().authFailureDelay()); // slows guessing; a parked virtual thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session.countAuthFailure() >= session.settings().authFailures()) {
            session.out().status("*", ImapOutput.Status.BYE, null, "Too many authentication failures");
            session.closeAfterReply();
        }
        return ImapSession.Reply.no(FAILED, "Authentication failed");
    }
}
