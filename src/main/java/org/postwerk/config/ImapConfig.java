package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The IMAP server ({@code [imap]}). {@code idle}: how long a logged-in client may stay silent, IDLE included
 * (RFC 9051 §5.4 asks for at least 30 minutes); {@code login}: the same before login; {@code appendLimit}: the
 * largest message APPEND takes (RFC 7889 APPENDLIMIT); {@code commandSize}: octets of one command held in
 * memory, literals included (APPEND content beyond 64 KiB goes to the spill folder); {@code connectionsPerUser}:
 * sessions of one account at once (a phone, a laptop and a tablet each keep several); {@code quota}: storage per
 * account in bytes, 0 for none (QUOTA, and APPEND/COPY refused beyond it).
 */
public record ImapConfig(Duration idle, Duration login, long appendLimit, int commandSize, int connectionsPerUser,
                         long quota) {
    public static final ImapConfig DEFAULTS =
            new ImapConfig(Duration.ofMinutes(30), Duration.ofMinutes(1), 50L << 20, 256 * 1024, 20, 0);

    public ImapConfig {
        Objects.requireNonNull(idle);
        Objects.requireNonNull(login);
    }
}
