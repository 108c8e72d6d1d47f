package org.postwerk.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The data folder's lock, {@code DATA/postwerk.lock}: held by the server for as long as its process lives
 * ({@link FileChannel#tryLock}, an fcntl lock the kernel drops when the process ends, even by SIGKILL), so a
 * second server on the same folder stops at once instead of sharing the queue and journal. The file holds the
 * holder's pid. It is also the mark of a data folder that a server has used: the commands that run without a
 * configuration take {@code ./data} only when it bears this file (see {@code docs/operations.md}).
 */
public final class DataFolder implements AutoCloseable {
    /** The lock file's name inside the data folder. */
    public static final String LOCK = "postwerk.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataFolder(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * What keeps the server from using {@code dir}, found without changing anything: a folder it may create
     * (its parent exists and is writable) is fine; parents are never created, so a typo in {@code data_dir}
     * does not start an empty server somewhere else.
     */
    public static Optional<StartProblem> check(Path dir) {
        Path abs = dir.toAbsolutePath();
        String thing = "data folder " + abs;
        if (Files.isDirectory(abs)) {
            return Files.isWritable(abs) ? Optional.empty() : Optional.of(notWritable(thing));
        }
        if (Files.exists(abs)) {
            return Optional.of(new StartProblem(StartProblem.Exit.CONFIG, thing, "exists and is not a folder",
                    "set data_dir to a folder"));
        }
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return Optional.of(new StartProblem(StartProblem.Exit.CANNOT_CREATE, thing,
                    "missing, and so is " + parent, "create it (install -d -m 0700 " + abs + ") or fix data_dir"));
        }
        if (!Files.isWritable(parent)) {
            return Optional.of(new StartProblem(StartProblem.Exit.CANNOT_CREATE, thing,
                    "missing, and " + parent + " is not writable by this user",
                    "create it for the server's user (install -d -o USER -m 0700 " + abs + ")"));
        }
        return Optional.empty();
    }

    private static StartProblem notWritable(String thing) {
        return new StartProblem(StartProblem.Exit.CANNOT_CREATE, thing, "not writable by user "
                + System.getProperty("user.name"), "give the server's user the folder (chown -R USER), or fix data_dir");
    }

    /**
     * Takes the lock of an existing data folder and writes our pid into it.
     *
     * @throws StartFailure when another server holds it or the file cannot be made
     */
    public static DataFolder lock(Path dir) throws StartFailure {
        Path file = dir.toAbsolutePath().resolve(LOCK);
        FileChannel channel;
        try {
            channel = Files.exists(file)
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw new StartFailure(new StartProblem(StartProblem.Exit.CANNOT_CREATE, file.toString(),
                    "cannot open the lock file (" + reason(e) + ")", "the data folder must be writable by the server"), e);
        }
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(dir, channel);
            }
            byte[] pid = (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(pid), 0);
            return new DataFolder(channel, lock);
        } catch (OverlappingFileLockException e) {
            throw inUse(dir, channel);
        } catch (StartFailure e) {
            throw e;
        } catch (IOException e) {
            close(channel);
            throw new StartFailure(new StartProblem(StartProblem.Exit.IO, file.toString(),
                    "cannot lock (" + reason(e) + ")", "the data folder must be on a local file system"), e);
        }
    }

    private static StartFailure inUse(Path dir, FileChannel channel) {
        close(channel);
        String pid = runningPid(dir).map(p -> " (pid " + p + ")").orElse("");
        return new StartFailure(new StartProblem(StartProblem.Exit.CANNOT_CREATE, "data folder " + dir.toAbsolutePath(),
                "in use by another Postwerk server" + pid, "stop that one first, or give this one its own data_dir"));
    }

    /** The pid written in the lock file, when it holds one (the server may have stopped since). */
    public static Optional<Long> runningPid(Path dir) {
        try {
            return Optional.of(Long.parseLong(Files.readString(dir.resolve(LOCK), StandardCharsets.US_ASCII).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** True when a server has used {@code dir}: it bears the lock file. */
    public static boolean marked(Path dir) {
        return Files.isDirectory(dir) && Files.isRegularFile(dir.resolve(LOCK));
    }

    /**
     * True when a server holds the lock of {@code dir} now (another process: within our own process the lock
     * cannot be tested this way and this says true).
     */
    public static boolean serverRuns(Path dir) {
        Path file = dir.resolve(LOCK);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason()
                : String.valueOf(e.getMessage());
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing to add to the failure being reported
        }
    }

    /** Releases the lock (the file stays: it marks the folder). */
    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // the channel's close releases it too
        }
        close(channel);
    }
}
