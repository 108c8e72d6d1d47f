package org.postwerk.queue;

import java.util.Optional;
import org.postwerk.smtp.Mailbox;

/**
 * @param retry        when to retry, when to give up, when to warn
 * @param reportingMta our host name, as DSNs name it (Reporting-MTA, MAILER-DAEMON@host)
 * @param postmaster   where double bounces go (a bounce that could not be delivered); empty = log and drop
 * @param dsnMaxReturn at most this many bytes of the original message go back in a DSN ({@link Returned})
 */
public record QueueSettings(RetrySchedule retry, String reportingMta, Optional<Mailbox> postmaster,
                            long dsnMaxReturn) {
    /** Postfix's {@code bounce_size_limit}. */
    public static final long DEFAULT_DSN_MAX_RETURN = 50_000;

    public QueueSettings(RetrySchedule retry, String reportingMta, Optional<Mailbox> postmaster) {
        this(retry, reportingMta, postmaster, DEFAULT_DSN_MAX_RETURN);
    }
}
