package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.postwerk.io.Disk;
import org.postwerk.io.DurableFile;
import org.postwerk.journal.Entry;
import org.postwerk.journal.RecordType;
import org.postwerk.mailbox.Change;
import org.postwerk.mailbox.ChangeLog;
import org.postwerk.mailbox.IndexFile;
import org.postwerk.mailbox.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of mailbox folders after a crash (ADR 0012), from the journal records of an earlier run, before any
 * session starts:
 * <ol>
 *   <li>each folder's index gets the changes whose MODSEQ is above its HIGHESTMODSEQ (MODSEQ is the index's
 *       log sequence number), and is written again;</li>
 *   <li>the files are made to agree with the index: a message's file gets its flags in its name and moves to
 *       {@code cur/}, an expunged message's file goes;</li>
 *   <li>every message whose content is in a record (an SMTP delivery that a folder later gave a UID, an
 *       APPEND) is followed through COPY and MOVE to wherever it lives now, and its file there must hold that
 *       content: a power loss may have left it empty or zero-filled. Such deliveries are then not the Maildir
 *       delivery replay's business ({@link #handled()}).</li>
 * </ol>
 */
public final class MailboxReplay {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxReplay.class);

    private final Path mailRoot;
    private final Disk disk;
    private final Set<Path> handled = new HashSet<>();
    private final Map<Key, List<Key>> copies = new HashMap<>();
    private final Set<Key> known = new HashSet<>();
    private final Set<Key> removed = new HashSet<>();
    private final Map<String, List<ChangeLog.FolderChange>> byFolder = new LinkedHashMap<>();
    private final Map<String, Snapshot> replayed = new HashMap<>();
    private final List<Path> touched = new ArrayList<>();

    public MailboxReplay(Path mailRoot, Disk disk) {
        this.mailRoot = mailRoot.toAbsolutePath();
        this.disk = disk;
    }

    /** A message where a folder keeps it. */
    private record Key(String folder, String locator) {}

    /** Delivery names (in {@code new/}) whose content this replay took care of. */
    public Set<Path> handled() {
        return handled;
    }

    /** @return the files checked or written, for the journal's filesystem sync */
    public List<Path> replay(Iterable<Entry> entries) throws IOException {
        for (Entry e : entries) {
            if (e.type() == RecordType.MAILBOX_CHANGE) {
                learn(JournalChangeLog.decode(e.payload()).changes());
            }
        }
        if (byFolder.isEmpty()) {
            return List.of();
        }
        for (Map.Entry<String, List<ChangeLog.FolderChange>> f : byFolder.entrySet()) {
            replayFolder(f.getKey(), f.getValue());
        }
        Set<Path> cancelled = new HashSet<>();
        for (Entry e : entries) {
            if (e.type() == RecordType.MAILDIR_CANCEL) {
                cancelled.addAll(deliveryNames(ByteBuffer.wrap(e.payload())));
            }
        }
        for (Entry e : entries) {
            if (e.type() == RecordType.MAILDIR_DELIVERY) {
                delivery(e.payload(), cancelled);
            } else if (e.type() == RecordType.MAILBOX_CHANGE) {
                appended(e.payload());
            }
        }
        LOG.info("journal: mailbox changes replayed into {} folders", byFolder.size());
        return touched;
    }

    private void learn(List<ChangeLog.FolderChange> changes) {
        for (ChangeLog.FolderChange fc : changes) {
            byFolder.computeIfAbsent(fc.folder(), k -> new ArrayList<>()).add(fc);
            switch (fc.change()) {
                case Change.Added a -> {
                    for (Change.Entry e : a.messages()) {
                        Key k = new Key(fc.folder(), e.locator());
                        known.add(k);
                        if (a.from() != null && e.origin() != null) {
                            copies.computeIfAbsent(new Key(a.from(), e.origin()), x -> new ArrayList<>()).add(k);
                        }
                    }
                }
                case Change.Expunged x -> {
                    for (String l : x.locators()) {
                        removed.add(new Key(fc.folder(), l));
                    }
                }
                case Change.FlagsSet s -> { }
            }
        }
    }

    private void replayFolder(String name, List<ChangeLog.FolderChange> changes) throws IOException {
        Path dir = mailRoot.resolve(name).normalize();
        if (!dir.startsWith(mailRoot) || !Files.isDirectory(dir.resolve("cur"))) {
            return; // deleted or renamed since: its index was written when it went (Folders.forget)
        }
        Snapshot s = FolderLoader.readIndex(dir);
        if (s == null) {
            LOG.warn("journal: folder {} has no index to replay into; it is rebuilt from its files", dir);
            return;
        }
        long before = s.highestModseq();
        for (ChangeLog.FolderChange fc : changes) {
            if (fc.uidValidity() != s.uidValidity() || fc.change().modseq() <= s.highestModseq()) {
                continue; // another incarnation of the folder, or already in the index
            }
            try {
                s = s.apply(fc.change());
            } catch (IllegalArgumentException e) {
                LOG.warn("journal: change {} of {} not applicable: {}", fc.change().modseq(), dir, e.getMessage());
            }
        }
        if (s.highestModseq() != before) {
            writeIndex(dir, s);
        }
        replayed.put(name, s);
        agree(dir, s, name);
    }

    private void writeIndex(Path dir, Snapshot s) throws IOException {
        Path tmp = dir.resolve(FolderLoader.INDEX + ".tmp");
        Files.deleteIfExists(tmp);
        try (var ch = disk.create(tmp); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            IndexFile.write(s, out);
        }
        Files.move(tmp, dir.resolve(FolderLoader.INDEX), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        touched.add(dir.resolve(FolderLoader.INDEX));
    }

    /** The files as the index says: flags in the names, in cur/; expunged ones gone. */
    private void agree(Path dir, Snapshot s, String name) throws IOException {
        FolderFiles files = new FolderFiles(dir);
        for (int i = 0; i < s.count(); i++) {
            Path file = files.search(s.locator(i));
            Path expected = files.cur.resolve(FolderFiles.curName(s.locator(i), s.flags(i), s.keywords()));
            if (file != null && !file.equals(expected)) {
                Files.move(file, expected, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                touched.add(expected);
            }
        }
        for (Key k : removed) {
            if (k.folder().equals(name) && indexOf(s, k.locator()) < 0) {
                Path file = files.search(k.locator());
                if (file != null) {
                    Files.deleteIfExists(file);
                    touched.add(file);
                }
            }
        }
    }

    /** An SMTP delivery: names in folders' new/, then the content. Those a folder took up are ours. */
    private void delivery(byte[] payload, Set<Path> cancelled) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(payload);
        List<Path> names = deliveryNames(b);
        int offset = b.position();
        for (Path name : names) {
            Path folderDir = name.getParent().getParent();
            Key k = new Key(mailRoot.relativize(folderDir).toString(), name.getFileName().toString());
            if (cancelled.contains(name) || !known.contains(k) && !removed.contains(k) && !copies.containsKey(k)) {
                continue; // never given a UID: the Maildir delivery replay's job
            }
            handled.add(name);
            for (Key at : finalLocations(k)) {
                ensure(at, payload, offset, payload.length - offset);
            }
        }
    }

    /** An APPEND whose content travels in its record. */
    private void appended(byte[] payload) throws IOException {
        JournalChangeLog.Decoded d = JournalChangeLog.decode(payload);
        if (d.contentOffset() >= payload.length) {
            return;
        }
        for (ChangeLog.FolderChange fc : d.changes()) {
            if (fc.change() instanceof Change.Added a && a.from() == null) {
                for (Change.Entry e : a.messages()) {
                    for (Key at : finalLocations(new Key(fc.folder(), e.locator()))) {
                        ensure(at, payload, d.contentOffset(), payload.length - d.contentOffset());
                    }
                }
            }
        }
    }

    /** Where a message is now: itself unless expunged, and every copy made of it, transitively. */
    private List<Key> finalLocations(Key start) {
        List<Key> out = new ArrayList<>();
        ArrayDeque<Key> todo = new ArrayDeque<>(List.of(start));
        Set<Key> seen = new HashSet<>();
        while (!todo.isEmpty() && seen.size() < 100_000) {
            Key k = todo.poll();
            if (!seen.add(k)) {
                continue;
            }
            if (!removed.contains(k)) {
                out.add(k);
            }
            todo.addAll(copies.getOrDefault(k, List.of()));
        }
        return out;
    }

    /** The message's file holds the content, or is written anew with it (where the index says it belongs). */
    private void ensure(Key at, byte[] payload, int offset, int size) throws IOException {
        Path dir = mailRoot.resolve(at.folder()).normalize();
        if (!dir.startsWith(mailRoot) || !Files.isDirectory(dir.resolve("cur"))) {
            return;
        }
        FolderFiles files = new FolderFiles(dir);
        Path file = files.search(at.locator());
        if (file != null && DurableFile.holds(file, payload, offset, size)) {
            return;
        }
        Snapshot s = replayed.get(at.folder());
        int i = s == null ? -1 : indexOf(s, at.locator());
        Path target = file != null ? file : i >= 0
                ? files.cur.resolve(FolderFiles.curName(at.locator(), s.flags(i), s.keywords()))
                : files.fresh.resolve(at.locator());
        DurableFile.write(disk, target, Arrays.copyOfRange(payload, offset, offset + size));
        touched.add(target);
    }

    private final Map<Snapshot, Map<String, Integer>> locators = new HashMap<>();

    private int indexOf(Snapshot s, String locator) {
        Map<String, Integer> m = locators.computeIfAbsent(s, x -> {
            Map<String, Integer> byLocator = new HashMap<>();
            for (int i = 0; i < x.count(); i++) {
                byLocator.put(x.locator(i), i);
            }
            return byLocator;
        });
        return m.getOrDefault(locator, -1);
    }

    /** The names at the start of a Maildir delivery record (root-relative, each in a Maildir's new/). */
    private List<Path> deliveryNames(ByteBuffer b) throws IOException {
        int count = b.getInt();
        List<Path> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] n = new byte[b.getInt()];
            b.get(n);
            Path t = mailRoot.resolve(new String(n, StandardCharsets.UTF_8)).normalize();
            if (!t.startsWith(mailRoot) || !t.getParent().getFileName().toString().equals("new")) {
                throw new IOException("journal record names a path outside a Maildir new/: " + t);
            }
            names.add(t);
        }
        return names;
    }
}
