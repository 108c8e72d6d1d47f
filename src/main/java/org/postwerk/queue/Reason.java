package org.postwerk.queue;

import java.util.Objects;
import org.postwerk.smtp.Reply;

/**
 * Why a recipient is where it is: the reply that decided it, kept typed (code, enhanced status, text lines), and
 * who gave it. Only a {@link Remote} reason names a remote MTA, so only it becomes a DSN's {@code Remote-MTA}
 * and {@code Diagnostic-Code: smtp;} (RFC 3464 §2.3.5, §2.3.6) and "host X said" in the text; a {@link Local}
 * reason is Postwerk's own finding (DNS, connection failure, null MX, local delivery, the operator).
 */
public sealed interface Reason {
    Reply reply();

    /**
     * A remote MTA answered.
     *
     * @param mta     who answered, {@code mx.example.net [192.0.2.1]}
     * @param command what it answered ({@code RCPT TO:<b@example.net>}, {@code greeting}), or null
     */
    record Remote(Reply reply, String mta, String command) implements Reason {
        public Remote {
            Objects.requireNonNull(reply);
            Objects.requireNonNull(mta);
        }
    }

    /** Postwerk itself decided; the reply is ours. */
    record Local(Reply reply) implements Reason {
        public Local {
            Objects.requireNonNull(reply);
        }
    }
}
