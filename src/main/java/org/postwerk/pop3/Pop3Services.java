package org.postwerk.pop3;

import java.io.IOException;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.net.TlsUpgrade;
import org.postwerk.net.UserSlots;
import org.postwerk.sasl.Sasl;

/**
 * What a POP3 session talks to: SASL for logins (the accounts, password pool and login budget of SMTP and IMAP),
 * the mail of an account, the POP3 sessions each account may have, and TLS (null: none on offer).
 */
public record Pop3Services(Sasl sasl, Mail mail, UserSlots slots, TlsUpgrade tls) {
    /** Opens the mail of a logged-in account (the name as SASL returned it). */
    @FunctionalInterface
    public interface Mail {
        MailAccess open(String account) throws IOException;
    }
}
