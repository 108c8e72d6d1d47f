package org.postwerk.pop3;

import java.time.Duration;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;

/**
 * Per-listener settings of a POP3 session: {@code idle} how long a logged-in client may stay silent (RFC 1939
 * §3: at least 10 minutes), {@code login} the same before login; {@code errors} bad commands before the
 * session is closed; {@code authFailures} and {@code authFailureDelay} as for SMTP AUTH and IMAP LOGIN.
 */
public record Pop3Settings(String hostname, ListenerConfig listener, Duration idle, Duration login, int errors,
                           int authFailures, Duration authFailureDelay) {
    public Role role() {
        return listener.role();
    }
}
