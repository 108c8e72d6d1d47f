package org.postwerk.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.postwerk.store.Durable;

/**
 * The spool directory. Layout (all readable with {@code cat}):
 * <pre>
 *   ID.eml      the message, CRLF line ends, exactly as it will be sent (Received header first)
 *   ID.env      envelope and per-recipient state ({@link EntryCodec}); its presence is the commit point
 *   tmp/        drafts being written; never delivered
 *   corrupt/    entries that could not be read, set aside for the operator (never deleted)
 *   control/    requests from {@code postwerk queue} while the server runs (see {@link Control})
 * </pre>
 * An {@code ID.eml} without {@code ID.env} is the remains of a finished entry (the env goes first on removal).
 * Directory fsyncs go through {@link Durable#syncDirectory}, which coalesces concurrent callers: group commit.
 */
public final class Spool {
    private static final Duration STALE_DRAFT = Duration.ofDays(1);
    private static final Duration COMMIT_WINDOW = Duration.ofMinutes(1);

    final Path dir;
    final Path tmp;
    final Path corrupt;
    final Path control;
    private final Durable durable;

    public Spool(Path dir, Durable durable) throws IOException {
        this.dir = dir.toAbsolutePath();
        this.tmp = this.dir.resolve("tmp");
        this.corrupt = this.dir.resolve("corrupt");
        this.control = this.dir.resolve("control");
        this.durable = durable;
        for (Path p : List.of(tmp, corrupt, control)) {
            Durable.createDirectories(p);
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

    /** Makes a fsync'd draft and its envelope durable in the spool: the one commit point of a message. */
    void commit(String id, QueueEntry entry) throws IOException {
        Files.move(draft(id), message(id), StandardCopyOption.ATOMIC_MOVE);
        writeFile(entry);
        durable.syncDirectory(dir);
    }

    /** Rewrites an entry's envelope atomically and durably (temp, fsync, rename, group-committed dir fsync). */
    void write(QueueEntry entry) throws IOException {
        writeFile(entry);
        durable.syncDirectory(dir);
    }

    private void writeFile(QueueEntry entry) throws IOException {
        Path target = envelope(entry.id());
        Path t = tmp.resolve(entry.id() + ".env." + Thread.currentThread().threadId());
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(EntryCodec.encode(entry));
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(t, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Removes a finished or deleted entry: envelope first, so a crash in between leaves only a harmless .eml. */
    void remove(String id) throws IOException {
        Files.deleteIfExists(envelope(id));
        Files.deleteIfExists(message(id));
        durable.syncDirectory(dir);
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
        Durable.fsyncDirectory(corrupt);
        durable.syncDirectory(dir);
    }

    /** Startup cleanup: leftovers of removed entries and stale drafts (never acknowledged, so not mail). */
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
                if (Files.getLastModifiedTime(p).toInstant().plus(STALE_DRAFT).isBefore(now)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
