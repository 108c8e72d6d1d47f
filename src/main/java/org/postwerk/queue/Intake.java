package org.postwerk.queue;

import java.io.IOException;

/**
 * Where the SMTP session hands an accepted message: a two-phase write. The session streams the message into
 * {@link Draft#out()} (the headers it adds first), then calls {@link Draft#commit()}; only when commit returns
 * may it reply 250. Implementations: local Maildir delivery, the durable queue, or a router over both.
 */
public interface Intake {
    Draft open(Envelope envelope) throws IOException;

    /**
     * Opens a draft whose local recipients are delivered into {@code folder} (e.g. "Junk" for a DMARC
     * quarantine): the folder goes into their routes, so it holds on the direct path and through the queue.
     */
    default Draft open(Envelope envelope, String folder) throws IOException {
        return open(folder == null ? envelope : envelope.inFolder(folder));
    }

    /** One message being written. Closing without commit discards it; closing after commit does nothing. */
    interface Draft extends AutoCloseable {
        java.io.OutputStream out();

        /**
         * Makes the message durable (a journal record, or the files and directory fsync'd) and hands it on;
         * only when this returns may the session reply 250.
         */
        void commit() throws IOException;

        @Override
        void close();
    }
}
