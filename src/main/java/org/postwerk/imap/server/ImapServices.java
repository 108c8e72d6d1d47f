package org.postwerk.imap.server;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.sasl.Sasl;
import org.postwerk.net.TlsUpgrade;
import org.postwerk.net.UserSlots;

/**
 * What an IMAP session talks to: SASL for logins (the same accounts as submission), the mail of an account, the
 * sessions each account may have, TLS (null: none on offer), where large literals wait, and the clock.
 */
public record ImapServices(Sasl sasl, Mail mail, UserSlots slots, TlsUpgrade tls, Path spillDir, Clock clock) {
    /** Opens the mail of a logged-in account (the name as SASL returned it; accounts match case-insensitively). */
    @FunctionalInterface
    public interface Mail {
        MailAccess open(String account) throws IOException;
    }
}
