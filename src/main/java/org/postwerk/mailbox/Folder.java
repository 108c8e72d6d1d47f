package org.postwerk.mailbox;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One open folder of one user. The state (UIDs, flags, MODSEQs) is {@link #state()}, shared with the other
 * sessions that have it open; the operations here change it durably: each returns only once its change
 * survives a crash, and is then visible to every session (an IMAP {@code OK} may follow).
 */
public interface Folder extends AutoCloseable {
    String name();

    FolderState state();

    /** Picks up messages delivered meanwhile (e.g. by SMTP) and gives them UIDs; cheap when there are none. */
    void refresh() throws IOException;

    /**
     * Stores a new message (APPEND, RFC 9051 §6.3.12) from its CRLF form; returns its UID.
     * @param internalDate epoch milliseconds
     */
    long append(Content crlfMessage, long size, Flags flags, long internalDate) throws IOException, MailAccess.Problem;

    /** A message to store, written on demand (it may sit in a file, as a large APPEND literal does). */
    @FunctionalInterface
    interface Content {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    Operations.Stored store(long[] uids, StoreMode mode, Flags flags, long unchangedSince) throws IOException;

    /** Expunges messages flagged \Deleted, all or only those among {@code uids} (null: all); returns their UIDs. */
    long[] expunge(long[] uids) throws IOException;

    /** COPY or MOVE (RFC 6851) of the given UIDs to another open folder of the same user. */
    Operations.Copied copy(long[] uids, Folder target, boolean move) throws IOException, MailAccess.Problem;

    /** The message in its CRLF form (RFC822.SIZE octets), or empty when it is gone (expunged by another session). */
    Optional<InputStream> content(long uid) throws IOException;

    /** Derived data of this folder's messages (header blocks, MIME structures) for FETCH and SEARCH. */
    MessageCache cache();

    @Override
    void close();
}
