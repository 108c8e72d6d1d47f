package org.postwerk.imap.server;

import java.time.Duration;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.imap.CommandReader;

/**
 * Per-listener settings of an IMAP session. {@code idle}: how long an authenticated client may stay silent
 * (RFC 9051 §5.4: at least 30 minutes; also the longest IDLE); {@code login}: the same before login, shorter;
 * {@code appendLimit}: the largest message APPEND takes (RFC 7889).
 */
public record ImapSettings(String hostname, ListenerConfig listener, CommandReader.Limits reader, Duration idle,
                           Duration login, int authFailures, Duration authFailureDelay, long appendLimit) {
    public Role role() {
        return listener.role();
    }
}
