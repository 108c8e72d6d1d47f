package org.postwerk.smtp.server;

import org.postwerk.config.Limits;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.config.SmtpOptions;
import org.postwerk.config.Timeouts;
import org.postwerk.smtp.Mailbox;

/**
 * Per-listener settings of a session. {@code postmaster} is where the bare {@code RCPT TO:<Postmaster>} of
 * RFC 5321 §4.1.1.3 goes.
 */
public record SessionSettings(String hostname, ListenerConfig listener, Limits limits, Timeouts timeouts,
                              SmtpOptions options, Mailbox postmaster) {
    public Role role() {
        return listener.role();
    }
}
