package org.postwerk.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.postwerk.io.Disk;
import org.postwerk.io.DurableFile;
import org.postwerk.io.GroupSync;
import org.postwerk.journal.Entry;
import org.postwerk.journal.Journal;
import org.postwerk.journal.RecordType;

/**
 * The spool directory. Layout (all readable with {@code cat}):
 * <pre>
 *   ID.eml      the message, CRLF line ends, exactly as it will be sent (Received header first)
 *   ID.env      envelope and per-recipient state ({@link EntryCodec}); its presence is the commit point
 *   tmp/        drafts being written; never delivered (a crash's leftovers are removed at start, {@link #sweep})
 *   corrupt/    entries that could not be read, set aside for the operator (never deleted)
 *   control/    requests from {@code postwerk queue} while the server runs (see {@link Control})
 * </pre>
 * An {@code ID.eml} without {@code ID.env} is the remains of a finished entry (the env goes first on removal), or,
 * while a server runs with the journal, an entry whose envelope is still waiting (see {@link #place}).
 * Everything is created mode 0600, folders 0700, and reaches the disk through {@link Disk}; directory fsyncs
 * are shared by concurrent callers ({@link GroupSync}: group commit). With a {@link Journal}, new entries are
 * journal records placed without fsync ({@link SpoolWriter}), and a finished entry's removal is a journal record
 * instead of a directory fsync; {@link #replay} restores after a crash whatever the last checkpoint had not made
 * durable.
 */
public final class Spool {
    private static final Duration COMMIT_WINDOW = Duration.ofMinutes(1);

    final Path dir;
    final Path tmp;
    final Path corrupt;
    final Path control;
    final Disk disk;
    private final GroupSync groupSync;
    final Journal journal;
    /** Envelopes of journaled entries not written yet: most entries are delivered before they need one. */
    private final ConcurrentHashMap<String, Unwritten> unwritten = new ConcurrentHashMap<>();

    private record Unwritten(byte[] envelope, long placedNanos) {}

    public Spool(Path dir, Disk disk) throws IOException {
        this(dir, disk, null);
    }

    public Spool(Path dir, Disk disk, Journal journal) throws IOException {
        this.journal = journal;
        this.dir = dir.toAbsolutePath();
        this.tmp = this.dir.resolve("tmp");
        this.corrupt = this.dir.resolve("corrupt");
        this.control = this.dir.resolve("control");
        this.disk = disk;
        this.groupSync = new GroupSync(disk);
        for (Path p : List.of(tmp, corrupt, control)) {
            disk.createDirectories(p);
        }
    }

    public Path message(String id) {
        return dir.resolve(id + ".eml");
    }

    Path envelope(String id) {
        return dir.resolve(id + ".env");
    }

    Path draft(String id) {
        return tmp.resolve(id + ".eml");
    }

    /**
     * Makes a fsync'd draft and its envelope durable in the spool: the one commit point of a message. On failure
     * takes them back: the client is told to retry, and the entry must not be delivered as well.
     */
    void commit(String id, QueueEntry entry) throws IOException {
        Files.move(draft(id), message(id), StandardCopyOption.ATOMIC_MOVE);
        try {
            writeEnvelope(id, EntryCodec.encode(entry), true);
            groupSync.syncDirectory(dir);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(envelope(id)); // first, as in remove()
            Files.deleteIfExists(message(id));
            throw e;
        }
    }

    /**
     * Places a journaled entry: the draft moves in without fsync (the journal record made the entry durable).
     * Its envelope file waits: most entries are delivered and removed within milliseconds, so it is written
     * only when the entry changes state ({@link #write}), once it is a second old, or before the journal's
     * checkpoint ({@link #writeUnwritten}). Until then {@code postwerk queue list} does not show the entry.
     */
    void place(String id, byte[] envelope) throws IOException {
        Files.move(draft(id), message(id), StandardCopyOption.ATOMIC_MOVE);
        unwritten.put(id, new Unwritten(envelope, System.nanoTime()));
    }

    /** The entries whose envelope only the journal holds, placed at least {@code minAge} ago. */
    List<String> unwrittenIds(Duration minAge) {
        long now = System.nanoTime();
        long age = minAge.toNanos();
        return unwritten.entrySet().stream().filter(e -> now - e.getValue().placedNanos() >= age)
                .map(Map.Entry::getKey).toList();
    }

    /**
     * Writes an entry's envelope that only the journal holds, without fsync (the checkpoint's filesystem sync
     * follows). The caller holds the entry's lock, so it never races with {@link #write} or {@link #remove}.
     */
    boolean writeUnwritten(String id) throws IOException {
        Unwritten u = unwritten.get(id);
        if (u == null) {
            return false;
        }
        writeEnvelope(id, u.envelope(), false);
        unwritten.remove(id, u); // only once written: a failure leaves it for the next checkpoint
        return true;
    }

    /** Rewrites an entry's envelope atomically and durably (temp, fsync, rename, group-committed dir fsync). */
    void write(QueueEntry entry) throws IOException {
        byte[] encoded = EntryCodec.encode(entry);
        // A waiting envelope takes the new state first and goes only once the file is durable: if the write
        // fails, the checkpoint still writes the entry's (newest) envelope before its journal record goes.
        unwritten.computeIfPresent(entry.id(), (id, u) -> new Unwritten(encoded, u.placedNanos()));
        writeEnvelope(entry.id(), encoded, true);
        groupSync.syncDirectory(dir);
        unwritten.remove(entry.id());
    }

    /** Writes an envelope file through a temporary name and a rename; fsync'd before the rename if asked. */
    private void writeEnvelope(String id, byte[] encoded, boolean fsync) throws IOException {
        Path t = tmp.resolve(id + ".env." + Thread.currentThread().threadId());
        try (FileChannel ch = createReplacing(t)) {
            ByteBuffer b = ByteBuffer.wrap(encoded);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            if (fsync) {
                disk.fsync(ch);
            }
        }
        Files.move(t, envelope(id), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A new file (0600) at {@code t}, in place of one an earlier failed write left there. */
    private FileChannel createReplacing(Path t) throws IOException {
        try {
            return disk.create(t);
        } catch (FileAlreadyExistsException e) {
            Files.delete(t);
            return disk.create(t);
        }
    }

    /** Removes a finished or deleted entry: envelope first, so a crash in between leaves only a harmless .eml. */
    void remove(String id) throws IOException {
        unwritten.remove(id);
        Files.deleteIfExists(envelope(id));
        Files.deleteIfExists(message(id));
        if (journal != null) {
            // Like Postfix, no fsync for a removal: a crash may at worst bring the entry back (a duplicate).
            journal.append(RecordType.QUEUE_DONE, new ByteBuffer[] {doneRecord(id)}, List.of(dir));
        } else {
            groupSync.syncDirectory(dir);
        }
    }

    /**
     * The head of a new entry's journal record, which {@link #replay} reads: id and envelope (each
     * length-prefixed); the message follows.
     */
    static ByteBuffer journalHead(String id, byte[] envelope) {
        byte[] b = id.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(8 + b.length + envelope.length)
                .putInt(b.length).put(b).putInt(envelope.length).put(envelope).flip();
    }

    /** The record of a finished (or abandoned) entry: its id. */
    static ByteBuffer doneRecord(String id) {
        return ByteBuffer.wrap(id.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Recovery after a crash, from the journal records of an earlier run: an entry not finished later (no
     * done record) gets back whatever of its files is missing or short, durably. An envelope that exists is
     * kept, as it may hold newer state (retries rewrite it with fsync). Other record types are not ours.
     *
     * @return the files checked or written, for the journal's filesystem sync
     */
    public Collection<Path> replay(Iterable<Entry> entries) throws IOException {
        Set<String> done = new HashSet<>();
        for (Entry e : entries) {
            if (e.type() == RecordType.QUEUE_DONE) {
                done.add(new String(e.payload(), StandardCharsets.US_ASCII));
            }
        }
        List<Path> touched = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type() != RecordType.QUEUE_ENTRY) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(e.payload());
            byte[] idBytes = new byte[b.getInt()];
            b.get(idBytes);
            String id = new String(idBytes, StandardCharsets.US_ASCII);
            byte[] env = new byte[b.getInt()];
            b.get(env);
            if (!id.matches("[A-Za-z0-9._-]+")) {
                throw new IOException("journal record with a bad queue id: " + id);
            }
            if (done.contains(id)) {
                continue;
            }
            int offset = b.position();
            int size = e.payload().length - offset;
            // Same content, not just the same size: a file placed without fsync may hold zeros after a power loss.
            if (!DurableFile.holds(message(id), e.payload(), offset, size)) {
                DurableFile.write(disk, message(id), java.util.Arrays.copyOfRange(e.payload(), offset, offset + size));
            }
            if (!readable(id)) { // missing, or left empty or torn by a power loss: the record's envelope
                DurableFile.write(disk, envelope(id), env);
            }
            touched.add(message(id));
            touched.add(envelope(id));
        }
        return touched;
    }

    /** True when the entry's envelope file exists and decodes against its message file. */
    private boolean readable(String id) throws IOException {
        try {
            read(id);
            return true;
        } catch (EntryCodec.Corrupt | NoSuchFileException e) {
            return false;
        }
    }

    /** Reads one entry. */
    QueueEntry read(String id) throws IOException, EntryCodec.Corrupt {
        long size;
        try {
            size = Files.size(message(id));
        } catch (NoSuchFileException e) {
            throw new EntryCodec.Corrupt("message file missing");
        }
        return EntryCodec.decode(Files.readAllBytes(envelope(id)), size);
    }

    /** The ids of all committed entries, oldest id first. */
    List<String> ids() throws IOException {
        List<String> ids = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.env")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                ids.add(name.substring(0, name.length() - 4));
            }
        }
        ids.sort(null);
        return ids;
    }

    /** Every readable entry, read straight from the files (for the CLI while a server owns the queue). */
    public List<QueueEntry> entries() throws IOException {
        List<QueueEntry> out = new ArrayList<>();
        for (String id : ids()) {
            entry(id).ifPresent(out::add);
        }
        return out;
    }

    /** One entry read from its files; empty when missing or unreadable. */
    public java.util.Optional<QueueEntry> entry(String id) throws IOException {
        if (!id.matches("[A-Za-z0-9._-]+")) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(read(id));
        } catch (EntryCodec.Corrupt | NoSuchFileException e) {
            return java.util.Optional.empty();
        }
    }

    /** Moves an unreadable entry to {@code corrupt/} for the operator. */
    void setAside(String id) throws IOException {
        for (Path p : List.of(envelope(id), message(id))) {
            if (Files.exists(p)) {
                Files.move(p, corrupt.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        disk.syncDirectory(corrupt);
        groupSync.syncDirectory(dir);
    }

    /**
     * Startup cleanup: leftovers of removed entries, and what a crash left in {@code tmp/}: drafts and envelope
     * files being written. A draft is never acknowledged mail: a message is acknowledged once it is in the spool
     * proper, or in a journal record, from which the replay (which runs before this) writes the spool files
     * itself, so no draft is needed. Only a young one is spared: {@code postwerk sendmail} may be writing it
     * while the server starts (its draft stays younger than a minute while data flows in).
     */
    void sweep(Instant now) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "*.eml")) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                // A young one may be a sendmail commit between moving the message in and writing its envelope.
                if (!Files.exists(envelope(name.substring(0, name.length() - 4)))
                        && Files.getLastModifiedTime(p).toInstant().plus(COMMIT_WINDOW).isBefore(now)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(tmp)) {
            for (Path p : s) {
                if (Files.getLastModifiedTime(p).toInstant().plus(COMMIT_WINDOW).isBefore(now)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
