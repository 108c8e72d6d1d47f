package org.postwerk.smtp.client;

import java.time.Duration;

/**
 * Client timeouts, RFC 5321 §4.5.3.2: greeting 5 min, MAIL 5 min, RCPT 5 min, DATA initiation 2 min, each data
 * block 3 min, DATA termination 10 min. {@code connect} is ours (not in the RFC).
 */
public record ClientTimeouts(Duration connect, Duration greeting, Duration command, Duration dataInit,
                             Duration dataBlock, Duration dataEnd) {
    public static final ClientTimeouts RFC5321 = new ClientTimeouts(Duration.ofSeconds(30), Duration.ofMinutes(5),
            Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(10));
}
