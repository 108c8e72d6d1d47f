package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.journal.Journal;
import org.postwerk.journal.RecordType;
import org.postwerk.mailbox.ChangeCodec;
import org.postwerk.mailbox.ChangeLog;

/**
 * Folder changes through the write-ahead journal (ADR 0007): one {@link RecordType#MAILBOX_CHANGE} record per
 * operation — the encoded changes (length-prefixed), then the content of an APPENDed message if it travels in
 * the record. The record's ticket stays open until the changes are applied to the files, so the journal's
 * checkpoint syncs them before it drops the record.
 */
public final class JournalChangeLog implements ChangeLog {
    private final Journal journal;
    private final Folders folders;

    public JournalChangeLog(Journal journal, Folders folders) {
        this.journal = journal;
        this.folders = folders;
    }

    @Override
    public Written append(List<FolderChange> changes, Object content) throws IOException {
        byte[] encoded = ChangeCodec.encode(changes);
        ByteBuffer head = ByteBuffer.allocate(4 + encoded.length).putInt(encoded.length).put(encoded).flip();
        ByteBuffer[] parts = content instanceof ByteBuffer b ? new ByteBuffer[] {head, b.duplicate()}
                : new ByteBuffer[] {head};
        List<Path> touched = new ArrayList<>();
        for (FolderChange c : changes) {
            touched.add(folders.dirOf(c.folder()));
        }
        Journal.Pending pending = journal.begin(RecordType.MAILBOX_CHANGE, parts, touched);
        return new Written() {
            @Override
            public void awaitDurable() throws IOException {
                pending.awaitDurable();
            }

            @Override
            public void applied() {
                pending.close();
            }
        };
    }

    /** The changes of a record's payload and where its content starts (payload length: none). */
    record Decoded(List<FolderChange> changes, int contentOffset) {}

    static Decoded decode(byte[] payload) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(payload);
        int n = b.getInt();
        if (n < 0 || n > payload.length - 4) {
            throw new IOException("damaged mailbox record");
        }
        List<FolderChange> changes = ChangeCodec.decode(ByteBuffer.wrap(payload, 4, n));
        return new Decoded(changes, 4 + n);
    }
}
