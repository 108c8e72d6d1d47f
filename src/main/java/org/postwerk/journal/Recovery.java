package org.postwerk.journal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.postwerk.io.Disk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments an earlier run left (it crashed, or its last checkpoint failed): their records are handed to a
 * {@link Journal.Replayer}, oldest first, read from disk on each pass so they need not fit in memory; once the
 * replayed files are durable the segments are deleted. A torn or damaged record ends its segment's replay.
 */
final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);

    private final Path dir;
    private final Disk disk;
    private final List<Path> leftover = new ArrayList<>();

    Recovery(Path dir, Disk disk) {
        this.dir = dir;
        this.disk = disk;
    }

    /** Finds the segments in the journal's folder; returns the highest sequence number (0: none). */
    long scan() throws IOException {
        List<Long> seqs = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.log")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                try {
                    seqs.add(Long.parseLong(name.substring(0, name.length() - 4)));
                } catch (NumberFormatException e) {
                    LOG.warn("journal: ignoring {}", p);
                }
            }
        }
        seqs.sort(null);
        for (long seq : seqs) {
            leftover.add(Journal.segmentPath(dir, seq));
        }
        return seqs.isEmpty() ? 0 : seqs.get(seqs.size() - 1);
    }

    /** Replays the leftover records, makes what the replayer names durable, deletes the segments. */
    int recover(Journal.Replayer replayer) throws IOException {
        if (leftover.isEmpty()) {
            return 0;
        }
        Iterable<Entry> entries = records();
        int records = 0;
        try {
            for (Entry ignored : entries) {
                records++;
            }
            disk.syncFileSystems(replayer.replay(entries));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path s : leftover) {
            Files.deleteIfExists(s);
        }
        disk.syncDirectory(dir);
        LOG.info("journal: replayed {} records from {} segments", records, leftover.size());
        leftover.clear();
        return records;
    }

    /** The records of the leftover segments, read from disk on every iteration, segment by segment. */
    private Iterable<Entry> records() {
        return () -> new Iterator<>() {
            private int segment;
            private InputStream in;
            private Entry next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == null) {
                        if (in == null) {
                            if (segment >= leftover.size()) {
                                return false;
                            }
                            in = new BufferedInputStream(Files.newInputStream(leftover.get(segment++)));
                        }
                        next = RecordCodec.read(in);
                        if (next == null) { // the segment's end, or a torn record: on to the next segment
                            in.close();
                            in = null;
                        } else if (next.type() == null) { // a type of a later version: not ours to replay
                            next = null;
                        }
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public Entry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Entry e = next;
                next = null;
                return e;
            }
        };
    }
}
