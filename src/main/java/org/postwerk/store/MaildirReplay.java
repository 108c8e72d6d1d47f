package org.postwerk.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.postwerk.io.Disk;
import org.postwerk.io.DurableFile;
import org.postwerk.journal.Entry;
import org.postwerk.journal.RecordType;

/**
 * Recovery of Maildir deliveries after a crash, from the journal records of an earlier run (records of other
 * types are not ours). Each name of a delivery record not cancelled later must hold the complete message,
 * durably: a name present with the same content (or that a reader already moved to {@code cur/}) is left
 * alone; one missing, short or zero-filled is written again (tmp, fsync, rename, directory fsync).
 */
final class MaildirReplay {
    private final Path root;
    private final Disk disk;
    private final Set<Path> handled;

    /** @param handled names whose content the mailbox replay checked (a folder gave them a UID since) */
    MaildirReplay(Path root, Disk disk, Set<Path> handled) {
        this.root = root;
        this.disk = disk;
        this.handled = handled;
    }

    /** @return the names checked or written, for the journal's filesystem sync */
    List<Path> replay(Iterable<Entry> entries) throws IOException {
        Set<Path> cancelled = new HashSet<>();
        for (Entry e : entries) {
            if (e.type() == RecordType.MAILDIR_CANCEL) {
                cancelled.addAll(names(ByteBuffer.wrap(e.payload())));
            }
        }
        List<Path> touched = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type() == RecordType.MAILDIR_DELIVERY) {
                touched.addAll(replay(e.payload(), cancelled));
            }
        }
        return touched;
    }

    /** The names at the start of a record, checked to be inside a Maildir's new/. */
    private List<Path> names(ByteBuffer b) throws IOException {
        int count = b.getInt();
        List<Path> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] n = new byte[b.getInt()];
            b.get(n);
            Path t = root.resolve(new String(n, StandardCharsets.UTF_8)).normalize();
            if (!t.startsWith(root) || !t.getParent().getFileName().toString().equals("new")) {
                throw new IOException("journal record names a path outside a Maildir new/: " + t);
            }
            targets.add(t);
        }
        return targets;
    }

    private List<Path> replay(byte[] payload, Set<Path> cancelled) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<Path> targets = names(b);
        int offset = b.position();
        int size = payload.length - offset;
        for (Path t : targets) {
            // Same content, not just the same size: a file placed without fsync may hold zeros after a power loss.
            if (cancelled.contains(t) || handled.contains(t) || DurableFile.holds(t, payload, offset, size)) {
                continue;
            }
            Path inCur = movedToCur(t);
            if (inCur != null) {
                // A reader moved it before the crash; the move may have reached the disk before the data did.
                if (!DurableFile.holds(inCur, payload, offset, size)) {
                    rewrite(inCur, payload, offset, size);
                }
                continue;
            }
            rewrite(t, payload, offset, size);
        }
        return targets;
    }

    /** Writes a message file durably from a journal record (temp, fsync, rename over it, directory fsync). */
    private void rewrite(Path t, byte[] payload, int offset, int size) throws IOException {
        DurableFile.write(disk, t, Arrays.copyOfRange(payload, offset, offset + size));
    }

    /** A reader (IMAP, POP3) moves a seen message from new/NAME to cur/NAME:2,FLAGS; that file, or null. */
    private static Path movedToCur(Path inNew) throws IOException {
        Path cur = inNew.getParent().resolveSibling("cur");
        if (!Files.isDirectory(cur)) {
            return null;
        }
        String prefix = inNew.getFileName() + ":";
        try (var names = Files.list(cur)) {
            return names.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElse(null);
        }
    }
}
