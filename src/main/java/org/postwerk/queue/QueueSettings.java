package org.postwerk.queue;

import java.util.Optional;
import org.postwerk.smtp.Mailbox;

/**
 * @param retry        when to retry, when to give up, when to warn
 * @param reportingMta our host name, as DSNs name it (Reporting-MTA, MAILER-DAEMON@host)
 * @param postmaster   where double bounces go (a bounce that could not be delivered); empty = log and drop
 */
public record QueueSettings(RetrySchedule retry, String reportingMta, Optional<Mailbox> postmaster) {}
