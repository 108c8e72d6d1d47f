package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.postwerk.mailbox.ChangeLog;
import org.postwerk.mailbox.DecodedCache;
import org.postwerk.mailbox.FolderState;
import org.postwerk.mailbox.IndexFile;
import org.postwerk.mailbox.Snapshot;

/**
 * Every folder loaded in this process, shared by all sessions (and told about SMTP deliveries), with the
 * journal they write to. A folder is loaded when a session first opens it and dropped once no session has
 * it open and its index file holds its state. {@link #checkpoint} writes the index files of folders that
 * changed, as the journal's checkpoint asks before it syncs the filesystem and drops its records.
 */
public final class Folders {
    private final Path mailRoot;
    private final org.postwerk.io.Disk disk;
    private ChangeLog log;
    private final long journalMax;
    private final Clock clock;
    private final ConcurrentHashMap<Path, Entry> loaded = new ConcurrentHashMap<>();
    private final ReentrantLock loading = new ReentrantLock();
    /**
     * Parsed header blocks and structures of all open folders: about 2 KB a message, so 32 MB hold the
     * messages of a few 10,000-message folders that sessions read at once (bench I1/I2, docs/performance.md).
     */
    private final DecodedCache decoded = new DecodedCache(32 << 20);

    /**
     * @param journalMax APPENDed messages up to this size travel in the journal record; larger ones are
     *     fsync'd in place before it
     */
    public Folders(Path mailRoot, org.postwerk.io.Disk disk, ChangeLog log, long journalMax, Clock clock) {
        this.mailRoot = mailRoot.toAbsolutePath();
        this.disk = disk;
        this.log = log;
        this.journalMax = journalMax;
        this.clock = clock;
    }

    ChangeLog log() {
        return log;
    }

    /**
     * Sets the change log once, before any folder is opened: the journal's log needs this registry to name
     * folders, so the two are made one after the other.
     */
    public void log(ChangeLog changeLog) {
        if (!loaded.isEmpty()) {
            throw new IllegalStateException("folders are open already");
        }
        this.log = changeLog;
    }

    org.postwerk.io.Disk disk() {
        return disk;
    }

    long journalMax() {
        return journalMax;
    }

    Clock clock() {
        return clock;
    }

    /** The name a folder has in journal records: its directory under the mail root. */
    String logName(Path dir) {
        return mailRoot.relativize(dir.toAbsolutePath()).toString();
    }

    Path dirOf(String logName) {
        Path p = mailRoot.resolve(logName).normalize();
        if (!p.startsWith(mailRoot)) {
            throw new IllegalArgumentException("folder outside the mail root: " + logName);
        }
        return p;
    }

    /** One loaded folder: its state, the lock that serialises picking up deliveries, who has it open. */
    static final class Entry {
        final FolderState state;
        final FolderFiles files;
        final CacheFile cache;
        final ReentrantLock refreshLock = new ReentrantLock();
        volatile boolean delivered = true; // scan new/ on first use
        long newMtime = -1;                 // guarded by refreshLock
        int users;                          // guarded by Folders.loading
        volatile long written;              // HIGHESTMODSEQ of the index file

        Entry(FolderState state, FolderFiles files, long written, DecodedCache decoded) {
            this.state = state;
            this.files = files;
            this.written = written;
            this.cache = new CacheFile(files.dir, state.current().uidValidity(), decoded);
        }
    }

    /** Opens (loading if needed) the folder in {@code dir}; the caller closes the returned handle. */
    MaildirFolder open(Path dir, String name) throws IOException {
        Path key = dir.toAbsolutePath();
        Entry e;
        loading.lock();
        try {
            e = loaded.get(key);
            if (e == null) {
                e = load(key);
                loaded.put(key, e);
            }
            e.users++;
        } finally {
            loading.unlock();
        }
        return new MaildirFolder(this, e, name);
    }

    void release(Entry e) {
        loading.lock();
        try {
            e.users--;
        } finally {
            loading.unlock();
        }
    }

    private Entry load(Path dir) throws IOException {
        FolderFiles files = new FolderFiles(dir);
        Snapshot s = FolderLoader.readIndex(dir);
        long written = s == null ? -1 : s.highestModseq();
        if (s == null) {
            s = FolderLoader.build(dir, clock.millis() / 1000);
            writeIndex(dir, s); // the UIDs it gave are shown to clients: durable first
            written = s.highestModseq();
        }
        Entry e = new Entry(new FolderState(logName(dir), s, log, files), files, written, decoded);
        MaildirFolder.reconcile(e);
        return e;
    }

    /** True when a session has the folder in {@code dir} open. */
    boolean inUse(Path dir) {
        loading.lock();
        try {
            Entry e = loaded.get(dir.toAbsolutePath());
            return e != null && e.users > 0;
        } finally {
            loading.unlock();
        }
    }

    /**
     * Drops a folder that is about to be deleted or renamed, after writing its index (the journal may still
     * hold records naming it; a replay skips folders whose directory is gone). Nobody may have it open.
     */
    void forget(Path dir) throws IOException {
        loading.lock();
        try {
            Entry e = loaded.remove(dir.toAbsolutePath());
            if (e != null) {
                e.cache.close();
                if (e.state.current().highestModseq() != e.written) {
                    writeFiles(dir, e.state.current(), true);
                }
            }
        } finally {
            loading.unlock();
        }
    }

    /** An SMTP delivery put files into {@code new/} of this folder: sessions that have it open pick them up. */
    public void delivered(Path dir) {
        Entry e = loaded.get(dir.toAbsolutePath());
        if (e != null) {
            e.delivered = true;
            e.state.poke();
        }
    }

    /**
     * Writes the index file of every folder whose state moved on since its last one (no fsync: the journal's
     * checkpoint syncs the filesystem next), and forgets folders nobody has open. Returns the files written.
     */
    public List<Path> checkpoint() throws IOException {
        List<Path> touched = new ArrayList<>();
        for (Entry e : loaded.values()) {
            Snapshot s = e.state.current();
            if (s.highestModseq() != e.written) {
                touched.addAll(writeFiles(e.files.dir, s, false));
                e.written = s.highestModseq();
                e.cache.retain(uid -> s.indexOf(uid) >= 0);
            }
        }
        loading.lock();
        try {
            loaded.values().removeIf(e -> {
                boolean idle = e.users == 0 && e.written == e.state.current().highestModseq();
                if (idle) {
                    e.cache.close();
                }
                return idle;
            });
        } finally {
            loading.unlock();
        }
        return touched;
    }

    /**
     * Makes a loaded folder's current state durable now, without the journal: its index (fsync) and the
     * renames and removals in its directories.
     */
    void writeNow(String logName) throws IOException {
        Entry e = loaded.get(dirOf(logName));
        if (e == null) {
            return;
        }
        Snapshot s = e.state.current();
        writeFiles(e.files.dir, s, true);
        for (Path d : List.of(e.files.cur, e.files.fresh, e.files.tmp)) {
            if (Files.isDirectory(d)) {
                disk.syncDirectory(d);
            }
        }
        e.written = s.highestModseq();
    }

    /** Writes an index durably now (a folder built from its files: its new UIDs must never change). */
    private void writeIndex(Path dir, Snapshot s) throws IOException {
        writeFiles(dir, s, true);
    }

    /** Dovecot's mailbox GUID: stable for a folder and its UIDVALIDITY, so rewriting the uidlist keeps it. */
    private byte[] guid(Path dir, long uidValidity) {
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(
                    (logName(dir) + "\0" + uidValidity).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(h, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    private List<Path> writeFiles(Path dir, Snapshot s, boolean fsync) throws IOException {
        Path tmp = dir.resolve(FolderLoader.INDEX + ".tmp");
        Files.deleteIfExists(tmp);
        try (var ch = disk.create(tmp); OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            IndexFile.write(s, out);
            if (fsync) {
                disk.fsync(ch);
            }
        }
        Path index = dir.resolve(FolderLoader.INDEX);
        Files.move(tmp, index, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DovecotFiles.write(disk, dir, s, guid(dir, s.uidValidity()));
        if (fsync) {
            disk.syncDirectory(dir);
        }
        return List.of(index, dir.resolve(DovecotFiles.UIDLIST), dir.resolve(DovecotFiles.KEYWORDS));
    }
}
