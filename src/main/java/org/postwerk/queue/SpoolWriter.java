package org.postwerk.queue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.postwerk.journal.Journal;
import org.postwerk.journal.MessageFile;
import org.postwerk.journal.RecordType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes new messages into a spool: the draft goes to {@code tmp/} and is committed through {@link MessageFile}.
 * With the spool's {@link Journal}, a message up to {@code journalMax} bytes is made durable by one journal
 * record (id, envelope, content) and its files are placed without fsync (see {@link Spool#place} and
 * {@link Spool#replay}); otherwise the draft is fsync'd, moved in, its envelope written and fsync'd, and the
 * directory synced (shared with concurrent commits). Used by the owning {@link Queue} and by
 * {@code postwerk sendmail} while a server owns the queue (it then tells the server through {@link Control}).
 */
public final class SpoolWriter implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.queue");

    private final Spool spool;
    private final Clock clock;
    private final Consumer<QueueEntry> onCommit;
    private final long journalMax;

    /** Without the journal: every message is fsync'd. */
    public SpoolWriter(Spool spool, Clock clock, Consumer<QueueEntry> onCommit) {
        this(spool, clock, onCommit, 0);
    }

    /** @param journalMax larger messages are fsync'd in place (only with a journal in the spool) */
    public SpoolWriter(Spool spool, Clock clock, Consumer<QueueEntry> onCommit, long journalMax) {
        this.spool = spool;
        this.clock = clock;
        this.onCommit = onCommit;
        this.journalMax = journalMax;
    }

    @Override
    public Draft open(Envelope envelope) throws IOException {
        return new SpoolDraft(envelope, clock.instant());
    }

    private final class SpoolDraft implements Draft, MessageFile.Placement {
        private final Envelope envelope;
        private final Instant now;
        private final MessageFile file;
        private QueueEntry entry;
        private byte[] encoded;
        private boolean committed;

        SpoolDraft(Envelope envelope, Instant now) throws IOException {
            this.envelope = envelope;
            this.now = now;
            this.file = new MessageFile(spool.disk, spool.draft(envelope.id()), spool.journal, journalMax,
                    RecordType.QUEUE_ENTRY);
        }

        @Override
        public OutputStream out() {
            return file.out();
        }

        @Override
        public void commit() throws IOException {
            entry = new QueueEntry(envelope, envelope.recipients().stream()
                    .map(r -> RecipientState.fresh(r, now)).toList(), false, file.size());
            file.commit(this);
            committed = true;
            onCommit.accept(entry);
        }

        @Override
        public ByteBuffer head() {
            encoded = EntryCodec.encode(entry);
            return Spool.journalHead(entry.id(), encoded);
        }

        @Override
        public Collection<Path> files() {
            return List.of(spool.message(entry.id()), spool.envelope(entry.id()));
        }

        @Override
        public void place() throws IOException {
            spool.place(entry.id(), encoded);
        }

        @Override
        public ByteBuffer cancel() {
            return Spool.doneRecord(entry.id());
        }

        @Override
        public void placeDurably() throws IOException {
            spool.commit(entry.id(), entry);
        }

        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                file.close();
            } catch (IOException e) {
                LOG.warn("could not discard draft {}: {}", envelope.id(), e.toString());
            }
        }
    }
}
