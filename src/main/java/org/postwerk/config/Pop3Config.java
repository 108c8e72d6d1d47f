package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The POP3 server ({@code [pop3]}). {@code idle}: how long a logged-in client may stay silent (RFC 1939 §3: the
 * autologout timer is at least 10 minutes); {@code login}: the same before login; {@code connectionsPerUser}:
 * POP3 sessions of one account at once (counted apart from IMAP's).
 */
public record Pop3Config(Duration idle, Duration login, int connectionsPerUser) {
    public static final Pop3Config DEFAULTS = new Pop3Config(Duration.ofMinutes(10), Duration.ofMinutes(1), 10);

    public Pop3Config {
        Objects.requireNonNull(idle);
        Objects.requireNonNull(login);
    }
}
