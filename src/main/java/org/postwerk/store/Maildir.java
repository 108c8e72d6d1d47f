package org.postwerk.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.postwerk.io.DurableFile;
import org.postwerk.journal.Capture;
import org.postwerk.journal.Journal;

/**
 * Maildir storage, Dovecot-compatible: account {@code user@domain} lives in {@code ROOT/domain/user/Maildir}
 * with {@code tmp/ new/ cur/}; other folders are Maildir++ subfolders ({@code .Junk}). A message is written
 * once into the first account's {@code tmp/}, fsync'd, renamed (one account) or hard-linked (several) into each
 * account's {@code new/} under a unique name (with {@code ,S=size} so Dovecot need not stat it), the {@code new/} directories are fsync'd
 * (coalesced across concurrent deliveries), and the temporary name is removed. Readers never see a partial
 * file: {@code new/} only ever gains complete, durable files.
 *
 * <p>With a {@link Journal}, a message up to {@code journalMax} bytes is instead made durable by one journal
 * record (its final names and content, group-committed with other sessions' records) and then renamed into
 * {@code new/} without fsyncs; the journal's checkpoint makes the files durable later, and {@link #replay}
 * re-creates any that a crash lost. Larger messages take the fsync path, where one more fsync is small.
 */
public final class Maildir implements MailboxStore {
    /** The journal record type of a Maildir delivery: final names and content. */
    public static final byte JOURNAL_RECORD = 1;
    /** A delivery whose names could not be placed after its record was committed (the client got 4xx): names. */
    public static final byte JOURNAL_CANCEL = 4;
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final String host;
    private final Durable durable;
    private final Journal journal;
    private final long journalMax;
    private final Set<Path> existing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Path, Object> creating = new ConcurrentHashMap<>();

    public Maildir(Path root, String host, Durable durable) {
        this(root, host, durable, null, 0);
    }

    /** @param journal where small messages are made durable (null: fsync every file and directory) */
    public Maildir(Path root, String host, Durable durable, Journal journal, long journalMax) {
        this.root = root.toAbsolutePath();
        // Maildir names use the host name with '/' and ':' escaped (they are separators there).
        this.host = host.replace("/", "\\057").replace(":", "\\072");
        this.durable = durable;
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
        FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new MaildirDelivery(dirs, base, tmp, channel);
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
                Durable.createDirectories(maildir.resolve(sub));
            }
            // Whoever created them, make the whole chain durable once in this process.
            for (Path p = maildir; p != null && p.startsWith(root); p = p.getParent()) {
                Durable.fsyncDirectory(p);
            }
            if (subfolder) { // Maildir++: marks the directory as a folder for Dovecot
                Path marker = maildir.resolve("maildirfolder");
                if (!Files.exists(marker)) {
                    Files.createFile(marker);
                }
            }
            existing.add(maildir);
        }
    }

    private Object creationLock(Path maildir) {
        return creating.computeIfAbsent(maildir, p -> new Object());
    }

    /** time.MmicrosPpidQseq.host — unique per process by the sequence, across processes by the pid. */
    private String uniqueBase() {
        long nowMicros = java.time.Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
        return (nowMicros / 1_000_000) + ".M" + (nowMicros % 1_000_000) + "P" + ProcessHandle.current().pid()
                + "Q" + SEQUENCE.incrementAndGet() + "." + host;
    }

    /** Record: count, then each final name relative to the store root (length + UTF-8), then the content. */
    private ByteBuffer[] journalRecord(List<Path> targets, Capture capture) {
        List<byte[]> names = new ArrayList<>();
        int length = 4;
        for (Path t : targets) {
            byte[] n = root.relativize(t).toString().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            length += 4 + n.length;
        }
        ByteBuffer head = ByteBuffer.allocate(length).putInt(names.size());
        for (byte[] n : names) {
            head.putInt(n.length).put(n);
        }
        return new ByteBuffer[] {head.flip(), capture.content()};
    }

    /**
     * Recovery after a crash: makes each name of each Maildir journal record hold the complete message,
     * durably (records of other types are not ours). A name
     * that is present with the full size (or that a reader already moved to {@code cur/}) is left alone; one
     * missing or short is written again (tmp, fsync, rename, directory fsync).
     *
     * @return the names checked or written, for the journal's filesystem sync
     */
    public List<Path> replay(Iterable<Journal.Entry> entries) throws IOException {
        Set<Path> cancelled = new java.util.HashSet<>();
        for (Journal.Entry e : entries) {
            if (e.type() == JOURNAL_CANCEL) {
                cancelled.addAll(names(ByteBuffer.wrap(e.payload())));
            }
        }
        List<Path> touched = new ArrayList<>();
        for (Journal.Entry e : entries) {
            if (e.type() == JOURNAL_RECORD) {
                touched.addAll(replay(e, cancelled));
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

    private List<Path> replay(Journal.Entry entry, Set<Path> cancelled) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(entry.payload());
        List<Path> targets = names(b);
        int offset = b.position();
        int size = entry.payload().length - offset;
        for (Path t : targets) {
            // Same content, not just the same size: a file placed without fsync may hold zeros after a power loss.
            if (cancelled.contains(t) || Journal.fileHolds(t, entry.payload(), offset, size)) {
                continue;
            }
            Path inCur = movedToCur(t);
            if (inCur != null) {
                // A reader moved it before the crash; the move may have reached the disk before the data did.
                if (!Journal.fileHolds(inCur, entry.payload(), offset, size)) {
                    rewrite(inCur, entry.payload(), offset, size);
                }
                continue;
            }
            rewrite(t, entry.payload(), offset, size);
        }
        return targets;
    }

    /** Writes a message file durably from a journal record (temp, fsync, rename over it, directory fsync). */
    private static void rewrite(Path t, byte[] payload, int offset, int size) throws IOException {
        Durable.createDirectories(t.getParent());
        DurableFile.write(t, java.util.Arrays.copyOfRange(payload, offset, offset + size));
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

    private final class MaildirDelivery implements Delivery {
        private final List<Path> dirs;
        private final String base;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean done;

        private final Capture capture;

        MaildirDelivery(List<Path> dirs, String base, Path tmp, FileChannel channel) {
            this.dirs = dirs;
            this.base = base;
            this.tmp = tmp;
            this.channel = channel;
            // Small: the content arrives in one large write that bypasses the buffer; only header lines gather here.
            OutputStream file = new BufferedOutputStream(Channels.newOutputStream(channel), 4096);
            this.capture = journalMax > 0 ? new Capture(file, journalMax) : null;
            this.out = capture != null ? capture : file;
        }

        @Override
        public OutputStream out() {
            return out;
        }

        /**
         * With the journal (a message within its limit): the record (final names and content) is made durable
         * first, then the names are placed without fsync; the ticket tells the checkpoint when they are.
         * Otherwise the file is fsync'd, placed, and the new/ directories fsync'd. Either way no reader sees a
         * name before the message is durable.
         */
        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or closed");
            }
            out.flush();
            boolean journaled = capture != null && capture.fits();
            if (!journaled) {
                channel.force(true);
            }
            long size = channel.size();
            channel.close();
            String name = base + ",S=" + size;
            List<Path> targets = dirs.stream().map(d -> d.resolve("new").resolve(name)).toList();
            if (journaled) {
                ByteBuffer[] record = journalRecord(targets, capture);
                try (Journal.Ticket ticket = journal.commit(JOURNAL_RECORD, record, targets)) {
                    try {
                        place(targets);
                    } catch (IOException | RuntimeException e) {
                        cancel(record[0]);
                        throw e;
                    }
                }
            } else {
                place(targets);
                try {
                    for (Path dir : dirs) {
                        durable.syncDirectory(dir.resolve("new"));
                    }
                } catch (IOException | RuntimeException e) {
                    for (Path p : targets) { // the client will be told to retry: no duplicate
                        Files.deleteIfExists(p);
                    }
                    throw e;
                }
            }
            done = true;
            if (dirs.size() > 1) {
                Files.deleteIfExists(tmp);
            }
        }

        /**
         * Gives the message each target name: a rename for one mailbox (one name operation instead of two),
         * hard links for several, a durable copy where a link is impossible (another filesystem). On failure
         * takes back what it placed, so the client's retry is no duplicate.
         */
        private void place(List<Path> targets) throws IOException {
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

        /** The client is told to retry: a crash must not bring back what its record describes. */
        private void cancel(ByteBuffer names) {
            try {
                journal.commit(JOURNAL_CANCEL, new ByteBuffer[] {names.rewind()}, List.of()).close();
            } catch (IOException e) {
                // The journal is failing too: after a crash the message may come back once (a duplicate).
            }
        }

        /** Where hard links are impossible (another filesystem): copy, fsync, then rename into new/. */
        private void copyDurably(Path target) throws IOException {
            Path copy = target.getParent().getParent().resolve("tmp").resolve(base + ".copy");
            Files.copy(tmp, copy, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
                ch.force(true);
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
                channel.close();
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // best effort: a stray file in tmp/ is harmless and cleaned by Maildir readers
            }
        }
    }
}
