package org.postwerk.queue;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes new messages into a spool: the draft goes to {@code tmp/}; commit fsyncs it, moves it in, writes the
 * envelope and syncs the directory (shared with concurrent commits). Used by the owning {@link Queue} and by
 * {@code postwerk sendmail} while a server owns the queue (it then tells the server through {@link Control}).
 */
public final class SpoolWriter implements Intake {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.queue");

    private final Spool spool;
    private final Clock clock;
    private final Consumer<QueueEntry> onCommit;

    public SpoolWriter(Spool spool, Clock clock, Consumer<QueueEntry> onCommit) {
        this.spool = spool;
        this.clock = clock;
        this.onCommit = onCommit;
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
        private boolean committed;
        private boolean closed;

        SpoolDraft(Envelope envelope, Instant now) throws IOException {
            this.envelope = envelope;
            this.now = now;
            this.file = new FileOutputStream(spool.draft(envelope.id()).toFile());
            this.out = new BufferedOutputStream(file, 64 * 1024);
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            out.flush();
            file.getFD().sync();
            file.close();
            closed = true;
            long size = Files.size(spool.draft(envelope.id()));
            QueueEntry e = new QueueEntry(envelope, envelope.recipients().stream()
                    .map(r -> RecipientState.fresh(r, now)).toList(), false, size);
            spool.commit(envelope.id(), e);
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
