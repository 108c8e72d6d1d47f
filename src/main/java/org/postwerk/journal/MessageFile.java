package org.postwerk.journal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.postwerk.io.Disk;

/**
 * The one commit path of an accepted message, shared by the Maildir store and the queue spool. The message is
 * written to a new file (mode 0600) and, while it stays within the journal's limit, copied for a record.
 * {@link #commit} then makes it durable in one of the two ways of ADR 0007 and has the owner place it:
 * <ul>
 *   <li>journal: one record (the owner's head, then the content), group-committed with other sessions'
 *       records; then the owner places its files without fsync, and the ticket tells the checkpoint that they
 *       are. When placing fails, a record that cancels this one follows: the client is told to retry, so a
 *       replay must not bring the message back as a duplicate.</li>
 *   <li>fsync (no journal, or a message over its limit): the file is fsync'd, then the owner places it and
 *       makes the names durable.</li>
 * </ul>
 * Either way no reader sees a name of the message before the message is durable.
 */
public final class MessageFile implements AutoCloseable {
    /** What the owner of the file (the Maildir, the spool) does around the commit. */
    public interface Placement {
        /** Journal: the payload of the record before the content (names, or id and envelope). */
        ByteBuffer head();

        /** Journal: the files the record stands for until the checkpoint makes them durable. */
        Collection<Path> files();

        /** Journal: gives the file its final names without fsync; takes back what it placed when it fails. */
        void place() throws IOException;

        /** Journal, after {@link #place} failed: the payload of the record that cancels this one. */
        ByteBuffer cancel();

        /** Fsync path: gives the fsync'd file its final names and makes them durable. */
        void placeDurably() throws IOException;
    }

    private final Disk disk;
    private final Path path;
    private final FileChannel channel;
    private final Journal journal;
    private final RecordType type;
    private final Capture out;
    private boolean closed;
    private boolean committed;

    /**
     * Creates {@code path} for a message that is journaled as a {@code type} record when it is at most
     * {@code journalMax} bytes (no {@code journal}: never).
     */
    public MessageFile(Disk disk, Path path, Journal journal, long journalMax, RecordType type) throws IOException {
        this.disk = disk;
        this.path = path;
        this.channel = disk.create(path);
        this.journal = journal;
        this.type = type;
        // Small: the content arrives in one large write that bypasses the buffer; only header lines gather here.
        this.out = new Capture(new BufferedOutputStream(Channels.newOutputStream(channel), 4096),
                journal == null ? 0 : journalMax);
    }

    /** Where the message goes, complete, with CRLF line ends. */
    public OutputStream out() {
        return out;
    }

    /** Bytes written to {@link #out()} so far: the message's size once it is complete. */
    public long size() {
        return out.size();
    }

    /** Makes the complete message durable and has {@code placement} give it its names; see the class comment. */
    public void commit(Placement placement) throws IOException {
        out.flush();
        boolean journaled = out.fits();
        if (!journaled) {
            disk.fsync(channel);
        }
        closed = true;
        channel.close();
        if (!journaled) {
            placement.placeDurably();
            committed = true;
            return;
        }
        ByteBuffer[] record = {placement.head(), out.content()};
        try (Journal.Ticket ticket = journal.commit(type, record, placement.files())) {
            try {
                placement.place();
            } catch (IOException | RuntimeException e) {
                cancel(placement, e);
                throw e;
            }
        }
        committed = true;
    }

    private void cancel(Placement placement, Exception failed) {
        try {
            journal.commit(type.cancelledBy(), new ByteBuffer[] {placement.cancel()}, List.of()).close();
        } catch (IOException | RuntimeException also) {
            // The journal fails too: after a crash the message may come back once (a duplicate).
            failed.addSuppressed(also);
        }
    }

    /** Unless committed: closes and removes the file (what was written is no message anybody acknowledged). */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        committed = true; // once
        if (!closed) {
            closed = true;
            channel.close();
        }
        Files.deleteIfExists(path);
    }
}
