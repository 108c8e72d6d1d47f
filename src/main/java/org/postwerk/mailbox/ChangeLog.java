package org.postwerk.mailbox;

import java.io.IOException;
import java.util.List;

/**
 * Where folder changes become durable before anyone is told about them: the write-ahead journal in the
 * embedded server. {@link #append} writes one record holding every change of one operation (a MOVE changes
 * two folders at once) and returns at once; {@link Written#awaitDurable} waits for it to be on disk, sharing
 * the disk flush with concurrent writers (group commit).
 */
public interface ChangeLog {
    /**
     * Writes one record. Called with the folders' locks held, so records of one folder are in MODSEQ order.
     *
     * @param content bytes the record carries besides the changes (an APPENDed message), or null
     */
    Written append(List<FolderChange> changes, Object content) throws IOException;

    /** A change of one folder, named so that a replay finds the folder again. */
    record FolderChange(String folder, long uidValidity, Change change) {}

    interface Written {
        /** Returns once the record is durable; an I/O error means it may never be. */
        void awaitDurable() throws IOException;

        /** The record's effects are applied (files renamed etc.): the journal may drop it at its next checkpoint. */
        void applied();
    }

    /** For tests and read-only use: durable at once, nothing written. */
    ChangeLog NONE = (changes, content) -> new Written() {
        public void awaitDurable() {}

        public void applied() {}
    };
}
