package org.postwerk.account;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.postwerk.io.DurableFile;
import org.postwerk.io.FileModes;

/**
 * The three account files in one directory and the snapshot they make. Readers call {@link #current()} on
 * every lookup: it costs three {@code stat} calls and re-reads only when a file's modification time, size or
 * inode changed (every write is a rename, so the inode always changes). Writers from any process take an
 * exclusive lock on {@code .lock}, re-read, and replace only the files whose text changed.
 */
final class AccountFiles {
    static final String USERS = "users";
    static final String DOMAINS = "domains";
    static final String ALIASES = "aliases";
    private static final String LOCK = ".lock";

    private final Path dir;
    private final ReentrantLock writer = new ReentrantLock();
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Loaded loaded = new Loaded(List.of(), Snapshot.EMPTY);

    private record Stamp(Object fileKey, FileTime modified, long size) {}

    private record Loaded(List<Stamp> stamps, Snapshot snapshot) {}

    /** What a writer decides after seeing the fresh snapshot. */
    sealed interface Decision {
        record Write(Snapshot next) implements Decision {}

        record Refuse(String reason) implements Decision {}
    }

    AccountFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The snapshot of the files as they are now; reads them again only when they changed. */
    Snapshot current() throws IOException {
        List<Stamp> stamps = stamps();
        Loaded l = loaded;
        if (l.stamps().equals(stamps)) {
            return l.snapshot();
        }
        reloading.lock();
        try {
            stamps = stamps();
            if (!loaded.stamps().equals(stamps)) {
                loaded = new Loaded(stamps, read());
            }
            return loaded.snapshot();
        } finally {
            reloading.unlock();
        }
    }

    /**
     * Runs one read-modify-write under the inter-process lock.
     *
     * @return empty when written, otherwise the refusal reason
     */
    @SuppressWarnings("try") // the lock is held for the block, never read
    Optional<String> edit(Function<Snapshot, Decision> change) throws IOException {
        Files.createDirectories(dir, FileModes.folder());
        writer.lock();
        try (FileChannel channel = FileChannel.open(dir.resolve(LOCK),
                        Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE), FileModes.file());
                FileLock lock = channel.lock()) {
            Snapshot fresh = read();
            return switch (change.apply(fresh)) {
                case Decision.Refuse r -> Optional.of(r.reason());
                case Decision.Write w -> {
                    writeIfChanged(USERS, AccountFormat.users(w.next()));
                    writeIfChanged(DOMAINS, AccountFormat.domains(w.next()));
                    writeIfChanged(ALIASES, AccountFormat.aliases(w.next()));
                    yield Optional.empty();
                }
            };
        } finally {
            writer.unlock();
        }
    }

    private void writeIfChanged(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        DurableFile.write(file, bytes);
    }

    private Snapshot read() throws IOException {
        AccountFormat.Reader reader = new AccountFormat.Reader();
        reader.users(USERS, lines(USERS));
        reader.domains(DOMAINS, lines(DOMAINS));
        reader.aliases(ALIASES, lines(ALIASES));
        return reader.snapshot();
    }

    private List<String> lines(String name) throws IOException {
        try {
            return Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private List<Stamp> stamps() throws IOException {
        return List.of(stamp(USERS), stamp(DOMAINS), stamp(ALIASES));
    }

    private Stamp stamp(String name) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
            return new Stamp(Objects.requireNonNullElse(a.fileKey(), ""), a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return new Stamp("", FileTime.fromMillis(0), -1);
        }
    }
}
