package org.postwerk.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.log.Sanitize;
import org.postwerk.sasl.Sasl;
import org.postwerk.sasl.SaslMechanism;
import org.postwerk.sasl.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * USER/PASS (RFC 1939 §7) and AUTH (RFC 5034) with the accounts and rules of submission and IMAP: only inside
 * TLS, the per-client failure count shared with them, a delay after each failure, the session closed after
 * too many. USER/PASS runs as a PLAIN exchange, so the password pool and the login budget apply to it too.
 * SCRAM's server-final message goes out as a last challenge, answered by an empty line, then +OK (RFC 5034 §4
 * forbids data on the +OK; Dovecot does the same).
 */
final class Pop3Login {
    private static final Logger LOG = LoggerFactory.getLogger(Pop3Session.class);
    /** What AUTH offers: SASL's mechanisms less LOGIN, which POP3 has USER/PASS for. */
    static final java.util.List<String> MECHANISMS = Sasl.MECHANISMS.stream().filter(m -> !m.equals("LOGIN")).toList();

    private final Pop3Session session;

    Pop3Login(Pop3Session session) {
        this.session = session;
    }

    /** PASS after USER. */
    void pass(String user, String password) throws IOException {
        if (refused()) {
            return;
        }
        byte[] plain = ("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8);
        SaslMechanism m = session.services().sasl().server("PLAIN", session.client().getAddress()).orElseThrow();
        finish(m.start(plain), "USER");
    }

    void auth(Pop3Command.Auth a) throws IOException {
        if (a.mechanism().isEmpty()) {
            // Not in RFC 5034, but Outlook and others still list mechanisms this way (the older RFC 1734 draft).
            session.out().ok("Mechanisms follow");
            for (String m : session.tls() == null ? java.util.List.<String>of() : MECHANISMS) {
                session.out().line(m);
            }
            session.out().line(".");
            return;
        }
        if (refused()) {
            return;
        }
        String name = a.mechanism().get();
        Optional<SaslMechanism> mechanism = MECHANISMS.contains(name)
                ? session.services().sasl().server(name, session.client().getAddress()) : Optional.empty();
        if (mechanism.isEmpty()) {
            session.out().err(null, "Unsupported authentication mechanism");
            return;
        }
        Step step = start(mechanism.get(), a.initialResponse());
        if (step == null) {
            return;
        }
        while (step instanceof Step.Challenge c) { // a Busy or Failure ends the loop too
            Optional<byte[]> answer = ask(c.data());
            if (answer == null) {
                session.out().err(null, "Authentication cancelled"); // RFC 5034 §4: "*"
                return;
            }
            if (answer.isEmpty()) {
                session.out().err(null, "Invalid base64 in the response");
                return;
            }
            step = mechanism.get().next(answer.get());
        }
        if (step instanceof Step.Success s && s.finalServerData() != null) {
            Optional<byte[]> answer = ask(s.finalServerData());
            if (answer == null || answer.isEmpty() || answer.get().length != 0) {
                failed(name, "no empty answer to the server's final message");
                return;
            }
            step = new Step.Success(s.user(), null);
        }
        finish(step, name);
    }

    /** The first step, with the initial response if there is one ("=" is an empty one); null: reply sent. */
    private Step start(SaslMechanism m, Optional<String> initial) throws IOException {
        if (initial.isEmpty()) {
            return m.start(null);
        }
        Optional<byte[]> ir = Sasl.decode(initial.get());
        if (ir.isEmpty()) {
            session.out().err(null, "Invalid base64 in the initial response");
            return null;
        }
        return m.start(ir.get());
    }

    /** Sends a challenge, reads the answer: the data, empty Optional for bad base64, null for "*". */
    private Optional<byte[]> ask(byte[] challenge) throws IOException {
        session.out().line("+ " + Sasl.encode(challenge));
        session.out().flush();
        LineInput.Read r = session.input().read();
        return switch (r) {
            case LineInput.Read.Eof e -> throw new EOFException();
            case LineInput.Read.TooLong t -> Optional.empty();
            case LineInput.Read.Line l -> l.text().strip().equals("*") ? null
                    : l.text().isBlank() ? Optional.of(new byte[0]) : Sasl.decode(l.text().strip());
        };
    }

    /** True (reply sent) when a login may not even be tried now. */
    private boolean refused() throws IOException {
        if (session.tls() == null) {
            // RFC 2595 §4 lets a server refuse plaintext passwords; RFC 8314 asks for TLS on every login.
            session.out().err("AUTH", "Login only over TLS: use STLS or port 995");
            return true;
        }
        if (session.limiter().authBlocked(session.client().getAddress())) {
            LOG.info("session={} event=auth-blocked client={}", session.id(), session.addr());
            session.out().err("SYS/TEMP", "Too many failed logins from your address, try later");
            return true;
        }
        return false;
    }

    private void finish(Step step, String mechanism) throws IOException {
        switch (step) {
            case Step.Success s -> session.loggedIn(s.user(), mechanism);
            case Step.Failure f -> failed(mechanism, f.reason());
            case Step.Challenge c -> failed(mechanism, "unexpected challenge");
            case Step.Busy b -> {
                LOG.info("session={} event=auth-busy client={} reason={}", session.id(), session.addr(),
                        Sanitize.log(b.reason()));
                session.out().err("SYS/TEMP", "Temporary authentication failure, try again later");
            }
        }
    }

    private void failed(String mechanism, String reason) throws IOException {
        session.limiter().authFailed(session.client().getAddress());
        LOG.info("session={} event=auth-failed mechanism={} client={} reason={}", session.id(),
                mechanism.toUpperCase(Locale.ROOT), session.addr(), Sanitize.log(reason));
        try {
            Thread.sleep(session.settings().authFailureDelay()); // slows guessing; a parked virtual thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (session.countAuthFailure() >= session.settings().authFailures()) {
            session.out().err("AUTH", "Authentication failed, too many failures");
            session.end();
        } else {
            session.out().err("AUTH", "Authentication failed");
        }
    }
}
