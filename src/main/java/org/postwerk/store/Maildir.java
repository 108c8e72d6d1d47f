package org.postwerk.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postwerk.io.Disk;
import org.postwerk.io.GroupSync;
import org.postwerk.io.LineEnds;
import org.postwerk.journal.Entry;
import org.postwerk.journal.Journal;
import org.postwerk.journal.MessageFile;
import org.postwerk.journal.RecordType;

/**
 * Maildir storage, Dovecot-compatible: account {@code user@domain} lives in {@code ROOT/domain/user/Maildir}
 * with {@code tmp/ new/ cur/}; other folders are Maildir++ subfolders ({@code .Junk}). A message is written
 * once into the first account's {@code tmp/} and committed through {@link MessageFile}: with a {@link Journal},
 * a message up to {@code journalMax} bytes is made durable by one journal record (its final names and content,
 * group-committed with other sessions' records) and then renamed (one account) or hard-linked (several) into
 * each account's {@code new/} under a unique name (with {@code ,S=size} so Dovecot need not stat it), without
 * fsync; the journal's checkpoint makes the files durable later, and {@link MaildirReplay} re-creates any that a
 * crash lost. Larger messages, or all without a journal, are fsync'd, placed, and the {@code new/} directories
 * fsync'd (shared by concurrent deliveries). Readers never see a partial file: {@code new/} only ever gains
 * complete, durable files. Everything is created mode 0600, folders 0700.
 */
public final class Maildir implements MailboxStore {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final String host;
    private final Disk disk;
    private final GroupSync groupSync;
    private final Journal journal;
    private final long journalMax;
    private final java.util.function.Consumer<Path> delivered;
    private final Set<Path> existing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Path, Object> creating = new ConcurrentHashMap<>();

    public Maildir(Path root, String host, Disk disk) {
        this(root, host, disk, null, 0, dir -> { });
    }

    public Maildir(Path root, String host, Disk disk, Journal journal, long journalMax) {
        this(root, host, disk, journal, journalMax, dir -> { });
    }

    /**
     * @param journal where small messages are made durable (null: fsync every file and directory)
     * @param delivered told the folder directory of each delivery once its file is in {@code new/}, so that
     *     IMAP sessions with the folder open see it at once
     */
    public Maildir(Path root, String host, Disk disk, Journal journal, long journalMax,
                   java.util.function.Consumer<Path> delivered) {
        this.delivered = delivered;
        this.root = root.toAbsolutePath();
        // Maildir names use the host name with '/' and ':' escaped (they are separators there).
        this.host = host.replace("/", "\\057").replace(":", "\\072");
        this.disk = disk;
        this.groupSync = new GroupSync(disk);
        this.journal = journal;
        this.journalMax = journal == null ? 0 : journalMax;
    }

    /**
     * The Maildir directory of one account's folder (INBOX = the Maildir itself), named by {@link MailboxNames}:
     * different accounts never share a directory.
     */
    public Path folder(String account, String folder) {
        Path maildir = MailboxNames.account(root, account).resolve("Maildir");
        return MailboxStore.INBOX.equals(folder) ? maildir : maildir.resolve(MailboxNames.folder(folder));
    }

    @Override
    public Delivery open(List<String> accounts, String folder) throws IOException {
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("no accounts");
        }
        List<Path> dirs = new ArrayList<>();
        for (String account : new LinkedHashSet<>(accounts)) {
            Path dir = folder(account, folder);
            ensure(dir, !MailboxStore.INBOX.equals(folder));
            dirs.add(dir);
        }
        String base = uniqueBase();
        Path tmp = dirs.get(0).resolve("tmp").resolve(base);
        return new MaildirDelivery(dirs, base, tmp,
                new MessageFile(disk, tmp, journal, journalMax, RecordType.MAILDIR_DELIVERY));
    }

    /**
     * Makes the Maildir exist durably before the first delivery into it. Concurrent first deliveries wait for
     * the one that creates it, so none can commit while the directories are not yet durable in their parents.
     */
    private void ensure(Path maildir, boolean subfolder) throws IOException {
        if (existing.contains(maildir)) {
            return;
        }
        synchronized (creationLock(maildir)) {
            if (existing.contains(maildir)) {
                return;
            }
            for (String sub : new String[] {"tmp", "new", "cur"}) {
                disk.createDirectories(maildir.resolve(sub));
            }
            if (subfolder) { // Maildir++: marks the directory as a folder for Dovecot; made durable just below
                try (FileChannel marker = disk.create(maildir.resolve("maildirfolder"))) {
                    // empty: its name is the mark
                } catch (FileAlreadyExistsException e) {
                    // made before
                }
            }
            // Whoever created them, make the whole chain durable once in this process.
            for (Path p = maildir; p != null && p.startsWith(root); p = p.getParent()) {
                disk.syncDirectory(p);
            }
            existing.add(maildir);
        }
    }

    private Object creationLock(Path maildir) {
        return creating.computeIfAbsent(maildir, p -> new Object());
    }

    private String uniqueBase() {
        return uniqueName(host);
    }

    /**
     * A unique Maildir base name, {@code time.MmicrosPpidQseq.host}: unique within the process by the sequence,
     * across processes by the pid (cr.yp.to/proto/maildir.html, as Dovecot forms them). {@code host} is the
     * host name with '/' and ':' escaped.
     */
    public static String uniqueName(String host) {
        // The wall clock's own microseconds (the JDK reads it at that precision on Linux): a mix of milliseconds
        // and System.nanoTime's microseconds could name a later delivery with a smaller M within one millisecond.
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + ProcessHandle.current().pid()
                + "Q" + SEQUENCE.incrementAndGet() + "." + host;
    }

    /** A delivery record's head (and a cancel record's payload): count, then each final name relative to the root. */
    private ByteBuffer journalHead(List<Path> targets) {
        byte[][] names = new byte[targets.size()][];
        int length = 4;
        for (int i = 0; i < names.length; i++) {
            names[i] = root.relativize(targets.get(i)).toString().getBytes(StandardCharsets.UTF_8);
            length += 4 + names[i].length;
        }
        ByteBuffer head = ByteBuffer.allocate(length).putInt(names.length);
        for (byte[] n : names) {
            head.putInt(n.length).put(n);
        }
        return head.flip();
    }

    /**
     * Recovery after a crash: makes each name of each Maildir journal record hold the complete message,
     * durably (see {@link MaildirReplay}).
     *
     * @return the names checked or written, for the journal's filesystem sync
     */
    public List<Path> replay(Iterable<Entry> entries) throws IOException {
        return replay(entries, Set.of());
    }

    /** The same, leaving alone the names in {@code handled} (the mailbox replay took care of them). */
    public List<Path> replay(Iterable<Entry> entries, Set<Path> handled) throws IOException {
        return new MaildirReplay(root, disk, handled).replay(entries);
    }

    /**
     * Start-up cleanup: removes the files a crash left in the {@code tmp/} folder of every Maildir and subfolder
     * once they are older than the Maildir rule's 36 hours (see {@link MaildirSweep}). Returns how many.
     */
    public int sweep(Instant now) throws IOException {
        return MaildirSweep.sweep(root, now);
    }

    private final class MaildirDelivery implements Delivery, MessageFile.Placement {
        private final List<Path> dirs;
        private final String base;
        private final Path tmp;
        private final MessageFile file;
        private final LineEnds.ToLf lf;
        private List<Path> targets;
        private ByteBuffer head;
        private boolean done;

        MaildirDelivery(List<Path> dirs, String base, Path tmp, MessageFile file) {
            this.dirs = dirs;
            this.base = base;
            this.tmp = tmp;
            this.file = file;
            this.lf = LineEnds.toLf(file.out());
        }

        /** The message in its CRLF form; the file gets LF line ends (ADR 0012), as Maildir readers expect. */
        @Override
        public OutputStream out() {
            return lf;
        }

        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or closed");
            }
            lf.finish();
            String name = base + ",S=" + file.size() + ",W=" + lf.crlfSize();
            targets = new ArrayList<>(dirs.size());
            for (Path d : dirs) {
                targets.add(d.resolve("new").resolve(name));
            }
            file.commit(this);
            done = true;
            if (dirs.size() > 1) {
                Files.deleteIfExists(tmp);
            }
            for (Path d : dirs) {
                delivered.accept(d);
            }
        }

        @Override
        public ByteBuffer head() {
            head = journalHead(targets);
            return head;
        }

        @Override
        public Collection<Path> files() {
            return targets;
        }

        @Override
        public ByteBuffer cancel() {
            return head;
        }

        @Override
        public void placeDurably() throws IOException {
            place();
            try {
                for (Path dir : dirs) {
                    groupSync.syncDirectory(dir.resolve("new"));
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : targets) { // the client will be told to retry: no duplicate
                    Files.deleteIfExists(p);
                }
                throw e;
            }
        }

        /**
         * Gives the message each target name: a rename for one mailbox (one name operation instead of two),
         * hard links for several, a durable copy where a link is impossible (another filesystem). On failure
         * takes back what it placed, so the client's retry is no duplicate.
         */
        @Override
        public void place() throws IOException {
            List<Path> placed = new ArrayList<>();
            try {
                for (Path target : targets) {
                    try {
                        if (targets.size() == 1) {
                            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                        } else {
                            Files.createLink(target, tmp);
                        }
                    } catch (FileAlreadyExistsException e) {
                        throw e; // names are unique; never overwrite a message
                    } catch (UnsupportedOperationException | IOException e) {
                        copyDurably(target);
                    }
                    placed.add(target);
                }
            } catch (IOException | RuntimeException e) {
                for (Path p : placed) {
                    Files.deleteIfExists(p);
                }
                throw e;
            }
        }

        /** Where hard links are impossible (another filesystem): copy, fsync, then rename into new/. */
        private void copyDurably(Path target) throws IOException {
            Path copy = target.getParent().getParent().resolve("tmp").resolve(base + ".copy");
            Files.deleteIfExists(copy);
            try (FileChannel in = FileChannel.open(tmp, StandardOpenOption.READ); FileChannel out = disk.create(copy)) {
                long size = in.size();
                for (long pos = 0; pos < size; ) {
                    pos += in.transferTo(pos, size - pos, out);
                }
                disk.fsync(out);
            }
            Files.move(copy, target, StandardCopyOption.ATOMIC_MOVE);
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                file.close();
            } catch (IOException e) {
                // best effort: a stray file in tmp/ is removed at the next start (after 36 hours)
            }
        }
    }
}
