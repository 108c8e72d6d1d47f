package org.postwerk.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Local mailboxes. The embedded implementation is Maildir on the local filesystem (Dovecot-compatible);
 * a clustered one can plug in here later. Delivery is two-phase: write, then commit (durable), or close to abort.
 */
public interface MailboxStore {
    /** The INBOX folder. */
    String INBOX = "INBOX";

    /**
     * Opens one delivery of one message into the given folder of each listed account (user names as the
     * account store knows them, e.g. {@code alice@example.org}). The caller writes the complete message,
     * Return-Path first, with CRLF line ends.
     */
    Delivery open(List<String> accounts, String folder) throws IOException;

    /** One message being written. Closing without commit discards it; closing after commit does nothing. */
    interface Delivery extends AutoCloseable {
        OutputStream out();

        /**
         * Makes the message durable (a journal record, or an fsync of the file and the folders), then visible
         * in every mailbox; it never shows before it is durable.
         */
        void commit() throws IOException;

        @Override
        void close();
    }
}
