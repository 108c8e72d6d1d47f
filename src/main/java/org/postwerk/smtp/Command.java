package org.postwerk.smtp;

import java.util.Optional;

/**
 * One parsed SMTP command (RFC 5321 §4.1.1 and the extensions we support). The parser produces these from a
 * line; the session switches over them exhaustively. {@link Invalid} carries the syntax reply to send.
 */
public sealed interface Command {
    Verb verb();

    record Helo(String domain) implements Command {
        public Verb verb() { return Verb.HELO; }
    }

    record Ehlo(String domain) implements Command {
        public Verb verb() { return Verb.EHLO; }
    }

    /** MAIL FROM; {@code sender} is empty for the null reverse-path {@code <>}. */
    record Mail(Optional<Mailbox> sender, MailParameters parameters) implements Command {
        public Verb verb() { return Verb.MAIL; }
    }

    /** RCPT TO; {@code postmaster} is true for the bare {@code <Postmaster>} form (RFC 5321 §4.1.1.3). */
    record Rcpt(Mailbox recipient, boolean postmaster, RcptParameters parameters) implements Command {
        public Verb verb() { return Verb.RCPT; }
    }

    record Data() implements Command {
        public Verb verb() { return Verb.DATA; }
    }

    /** BDAT chunk-size [LAST] (RFC 3030). */
    record Bdat(long size, boolean last) implements Command {
        public Verb verb() { return Verb.BDAT; }
    }

    record Rset() implements Command {
        public Verb verb() { return Verb.RSET; }
    }

    record Noop() implements Command {
        public Verb verb() { return Verb.NOOP; }
    }

    record Quit() implements Command {
        public Verb verb() { return Verb.QUIT; }
    }

    record Vrfy(String argument) implements Command {
        public Verb verb() { return Verb.VRFY; }
    }

    record Expn(String argument) implements Command {
        public Verb verb() { return Verb.EXPN; }
    }

    record Help(String topic) implements Command {
        public Verb verb() { return Verb.HELP; }
    }

    record StartTls() implements Command {
        public Verb verb() { return Verb.STARTTLS; }
    }

    /** AUTH mechanism [initial-response] (RFC 4954); the response stays base64 text, "=" for empty. */
    record Auth(String mechanism, Optional<String> initialResponse) implements Command {
        public Verb verb() { return Verb.AUTH; }
    }

    /** A line we could not accept; {@code reply} says why (500/501/504/555 ...). */
    record Invalid(Verb verb, Reply reply) implements Command {}
}
