package org.postwerk.smtp.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.postwerk.config.Role;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;

/**
 * The defences of a public port before a message is accepted (DNS lists, the pregreet test, greylisting). The
 * session knows nothing of DNS or greylists: it opens a {@link Connection} at connect (lookups may start then
 * and run while the session goes on), waits {@link Connection#greetWait()} watching for a client that talks
 * first, and asks for a refusal at MAIL FROM and at each RCPT TO. A refusal is a reply; the session logs it.
 */
public interface Screening {
    /**
     * Begins screening the client of session {@code session} on a listener of {@code role}; {@code relayClient}:
     * it is in {@code relay_networks} (our own, not screened).
     */
    Connection open(String session, InetAddress client, Role role, boolean relayClient);

    interface Connection {
        /** How long to wait, before the greeting, for a client that talks first; zero: greet at once. */
        default Duration greetWait() {
            return Duration.ZERO;
        }

        /** The client talked before the greeting: the reply that refuses it (the session then closes). */
        default Reply pregreet() {
            return PREGREET;
        }

        /** At MAIL FROM: a refusal (client or domain on a DNS list), or null. {@code authUser} may be null. */
        default Reply atMail(String authUser, String helo, Optional<Mailbox> sender) {
            return null;
        }

        /** At each RCPT TO the session would accept: a refusal (greylisted), or null. */
        default Reply atRcpt(String authUser, Optional<Mailbox> sender, Mailbox recipient) {
            return null;
        }
    }

    /** RFC 5321 §4.3.2: a client must wait for the greeting; one that does not is not speaking SMTP. */
    Reply PREGREET = Reply.of(554, 5, 5, 1, "Protocol error: talking before the greeting");

    /** Nothing screened. */
    Screening NONE = (session, client, role, relayClient) -> new Connection() {};
}
