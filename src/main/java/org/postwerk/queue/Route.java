package org.postwerk.queue;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.postwerk.smtp.Mailbox;
import org.postwerk.store.MailboxStore;

/**
 * Where a recipient goes, decided once — at RCPT, from the account directory — and carried with the recipient
 * through the queue (persisted in the envelope file), so that direct and queued local delivery agree, down to
 * the folder a DMARC quarantine chose after DATA.
 */
public sealed interface Route {
    /**
     * Not decided when the message was queued (sendmail, DSNs, alias targets, spool files written before routes
     * were kept): the router looks the address up at delivery.
     */
    record Unresolved() implements Route {}

    /** Our own mailboxes: a copy into {@code folder} of each account, and the addresses an alias forwards to. */
    record Local(List<String> accounts, List<Mailbox> forwards, String folder) implements Route {
        public Local {
            accounts = List.copyOf(accounts);
            forwards = List.copyOf(forwards);
            Objects.requireNonNull(folder);
        }

        public Local inFolder(String f) {
            return new Local(accounts, forwards, f);
        }
    }

    /** Another domain: its MX, or a {@code [[route]]}, at delivery. */
    record Remote() implements Route {}

    Route UNRESOLVED = new Unresolved();

    /** A local route into the INBOX, the accounts in the order given. */
    static Local local(Collection<String> accounts, List<Mailbox> forwards) {
        return new Local(List.copyOf(accounts), forwards, MailboxStore.INBOX);
    }
}
