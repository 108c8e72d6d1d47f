package org.postwerk.journal;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's first fatal I/O error. After a failed fdatasync (or a checkpoint's failed sync) the kernel may
 * have dropped the dirty pages and would not report that to a second sync, so a retry could acknowledge mail
 * that is not on disk: the journal refuses every further commit until a restart replays its segments.
 */
final class Failure {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private volatile IOException first;

    void record(IOException e) {
        if (first == null) {
            first = e;
            LOG.error("journal write failed, no more messages are accepted until restart: {}", e.toString());
        }
    }

    boolean failed() {
        return first != null;
    }

    /** Throws when the journal has failed. */
    void check() throws IOException {
        IOException f = first;
        if (f != null) {
            throw new IOException("journal unusable after an earlier I/O error: " + f.getMessage(), f);
        }
    }
}
