package org.postwerk.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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

/**
 * Maildir storage, Dovecot-compatible: account {@code user@domain} lives in {@code ROOT/domain/user/Maildir}
 * with {@code tmp/ new/ cur/}; other folders are Maildir++ subfolders ({@code .Junk}). A message is written
 * once into the first account's {@code tmp/}, fsync'd, renamed (one account) or hard-linked (several) into each
 * account's {@code new/} under a unique name (with {@code ,S=size} so Dovecot need not stat it), the {@code new/} directories are fsync'd
 * (coalesced across concurrent deliveries), and the temporary name is removed. Readers never see a partial
 * file: {@code new/} only ever gains complete, durable files.
 */
public final class Maildir implements MailboxStore {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path root;
    private final String host;
    private final Durable durable;
    private final Set<Path> existing = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Path, Object> creating = new ConcurrentHashMap<>();

    public Maildir(Path root, String host, Durable durable) {
        this.root = root.toAbsolutePath();
        // Maildir names use the host name with '/' and ':' escaped (they are separators there).
        this.host = host.replace("/", "\\057").replace(":", "\\072");
        this.durable = durable;
    }

    /** The Maildir directory of one account's folder (INBOX = the Maildir itself). */
    public Path folder(String account, String folder) {
        int at = account.lastIndexOf('@');
        String user = at < 0 ? account : account.substring(0, at);
        String domain = at < 0 ? "localhost" : account.substring(at + 1);
        Path maildir = root.resolve(safe(domain.toLowerCase(java.util.Locale.ROOT))).resolve(safe(user))
                .resolve("Maildir");
        return MailboxStore.INBOX.equals(folder) ? maildir : maildir.resolve("." + safe(folder));
    }

    /** A path element that cannot climb out of the store or hide: no separators, no leading dot. */
    private static String safe(String name) {
        String s = name.replace('/', '_').replace('\\', '_').replace('\0', '_');
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
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

    private final class MaildirDelivery implements Delivery {
        private final List<Path> dirs;
        private final String base;
        private final Path tmp;
        private final FileChannel channel;
        private final OutputStream out;
        private boolean done;

        MaildirDelivery(List<Path> dirs, String base, Path tmp, FileChannel channel) {
            this.dirs = dirs;
            this.base = base;
            this.tmp = tmp;
            this.channel = channel;
            // Small: the content arrives in one large write that bypasses the buffer; only header lines gather here.
            this.out = new BufferedOutputStream(Channels.newOutputStream(channel), 4096);
        }

        @Override
        public OutputStream out() {
            return out;
        }

        @Override
        public void commit() throws IOException {
            if (done) {
                throw new IllegalStateException("already committed or closed");
            }
            out.flush();
            channel.force(true);
            long size = channel.size();
            channel.close();
            String name = base + ",S=" + size;
            List<Path> placed = new ArrayList<>();
            try {
                for (Path dir : dirs) {
                    Path target = dir.resolve("new").resolve(name);
                    try {
                        if (dirs.size() == 1) { // one mailbox: a rename is one name operation instead of two
                            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                            placed.add(target);
                            continue;
                        }
                        Files.createLink(target, tmp);
                    } catch (FileAlreadyExistsException e) {
                        throw e; // names are unique; never overwrite a message
                    } catch (UnsupportedOperationException | IOException e) {
                        copyDurably(target);
                    }
                    placed.add(target);
                }
                for (Path dir : dirs) {
                    durable.syncDirectory(dir.resolve("new"));
                }
            } catch (IOException | RuntimeException e) {
                // The client will be told to retry: take back what was placed, so the retry is no duplicate.
                for (Path p : placed) {
                    Files.deleteIfExists(p);
                }
                throw e;
            }
            done = true;
            if (dirs.size() > 1) {
                Files.deleteIfExists(tmp);
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
