package org.postwerk.queue;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.postwerk.journal.Capture;
import org.postwerk.journal.Journal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes new messages into a spool: the draft goes to {@code tmp/}; commit fsyncs it, moves it in, writes the
 * envelope and syncs the directory (shared with concurrent commits). Used by the owning {@link Queue} and by
 * {@code postwerk sendmail} while a server owns the queue (it then tells the server through {@link Control}).
 * With a {@link Journal}, a message up to {@code journalMax} bytes is made durable by one journal record
 * (id, envelope, content) instead, and its files are placed without fsync (see {@link Spool#replay}).
 */
public final class SpoolWriter implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.queue");

    private final Spool spool;
    private final Clock clock;
    private final Consumer<QueueEntry> onCommit;
    private final Journal journal;
    private final long journalMax;

    public SpoolWriter(Spool spool, Clock clock, Consumer<QueueEntry> onCommit) {
        this(spool, clock, onCommit, null, 0);
    }

    public SpoolWriter(Spool spool, Clock clock, Consumer<QueueEntry> onCommit, Journal journal, long journalMax) {
        this.spool = spool;
        this.clock = clock;
        this.onCommit = onCommit;
        this.journal = journal;
        this.journalMax = journal == null ? 0 : journalMax;
    }

    @Override
    public Draft open(Envelope envelope) throws IOException {
        return new SpoolDraft(envelope, clock.instant());
    }

    private final class SpoolDraft implements Draft {
        private final Envelope envelope;
        private final Instant now;
        private final FileOutputStream file;
        private final OutputStream out;
        private final Capture capture;
        private boolean committed;
        private boolean closed;

        SpoolDraft(Envelope envelope, Instant now) throws IOException {
            this.envelope = envelope;
            this.now = now;
            this.file = new FileOutputStream(spool.draft(envelope.id()).toFile());
            // Small: the content arrives in large writes that bypass the buffer; only header lines gather here.
            OutputStream buffered = new BufferedOutputStream(file, 8 * 1024);
            this.capture = journalMax > 0 ? new Capture(buffered, journalMax) : null;
            this.out = capture != null ? capture : buffered;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            out.flush();
            boolean journaled = capture != null && capture.fits();
            if (!journaled) {
                file.getFD().sync();
            }
            file.close();
            closed = true;
            long size = journaled ? capture.content().remaining() : Files.size(spool.draft(envelope.id()));
            QueueEntry e = new QueueEntry(envelope, envelope.recipients().stream()
                    .map(r -> RecipientState.fresh(r, now)).toList(), false, size);
            if (journaled) {
                byte[] env = EntryCodec.encode(e);
                try (Journal.Ticket t = journal.commit(Spool.JOURNAL_RECORD, Spool.journalRecord(e.id(), env,
                        capture.content()), List.of(spool.message(e.id()), spool.envelope(e.id())))) {
                    try {
                        spool.place(e.id(), env);
                    } catch (IOException | RuntimeException failed) {
                        // The client is told to retry: a crash must not bring this entry back (a duplicate).
                        try {
                            journal.commit(Spool.JOURNAL_DONE, Spool.doneRecord(e.id()), List.of()).close();
                        } catch (IOException | RuntimeException also) {
                            failed.addSuppressed(also);
                        }
                        throw failed;
                    }
                }
            } else {
                spool.commit(envelope.id(), e);
            }
            committed = true;
            onCommit.accept(e);
        }

        @Override
        public void close() {
            try {
                if (!closed) {
                    file.close();
                }
                if (!committed) {
                    Files.deleteIfExists(spool.draft(envelope.id()));
                }
            } catch (IOException e) {
                LOG.warn("could not discard draft {}: {}", envelope.id(), e.toString());
            }
        }
    }
}
