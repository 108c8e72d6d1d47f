package org.postwerk.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Disk}: {@code FileChannel.force(true)} is fsync(2), {@code force(false)} fdatasync(2),
 * and a directory is fsync'd through a read-only channel on it. The JDK has no call for syncfs(2) and our
 * language level (21) no final foreign-function API, so a filesystem sync runs {@code sync -f PATH...}
 * (coreutils): one writeback and one flush of the disk cache for thousands of files, where fsyncing each would
 * flush it once per file. Where that command is missing or fails, each path and its directory is fsync'd
 * instead: slower, equally durable.
 */
public final class PosixDisk implements Disk {
    private static final Logger LOG = LoggerFactory.getLogger(PosixDisk.class);
    private static final long SYNCFS_TIMEOUT_SECONDS = 300;
    private static final Set<OpenOption> NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final Set<OpenOption> LOCK = Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    private static final FileAttribute<?>[] FILE = FileModes.file(); // never handed out: nobody changes it

    private final List<String> syncfs;
    private volatile boolean warned;

    public PosixDisk() {
        this(List.of("sync", "-f"));
    }

    /** @param syncfs the command that syncs the filesystem of each path given after it (a test's: one that fails) */
    PosixDisk(List<String> syncfs) {
        this.syncfs = List.copyOf(syncfs);
    }

    @Override
    public FileChannel create(Path file) throws IOException {
        return FileChannel.open(file, NEW, FILE);
    }

    @Override
    public FileChannel openOrCreate(Path file) throws IOException {
        return FileChannel.open(file, LOCK, FILE);
    }

    @Override
    public void fsync(FileChannel file) throws IOException {
        file.force(true);
    }

    @Override
    public void fdatasync(FileChannel file) throws IOException {
        file.force(false);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public void syncFileSystems(Collection<Path> paths) throws IOException {
        if (paths.isEmpty()) {
            return;
        }
        if (runSyncfs(filesystems(paths))) {
            return;
        }
        if (!warned) {
            warned = true;
            LOG.warn("'{}' failed: filesystem syncs fsync file by file (logged once)", String.join(" ", syncfs));
        }
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) { // a folder: everything in it
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                    for (Path e : entries) {
                        force(e);
                    }
                } catch (NoSuchFileException e) {
                    continue; // removed meanwhile
                }
                dirs.add(p.toAbsolutePath());
            } else if (force(p)) {
                dirs.add(p.toAbsolutePath().getParent());
            }
        }
        for (Path d : dirs) {
            force(d);
        }
    }

    /**
     * One folder on each filesystem that holds a path (a Maildir may be a mount or a symlink to another disk):
     * {@code sync -f} syncs the filesystem of each path it is given.
     */
    private static List<String> filesystems(Collection<Path> paths) {
        Map<Object, String> byDevice = new LinkedHashMap<>();
        Set<Path> seen = new HashSet<>();
        for (Path p : paths) {
            Path dir = Files.isDirectory(p) ? p.toAbsolutePath() : p.toAbsolutePath().getParent();
            if (dir != null && seen.add(dir) && Files.isDirectory(dir)) { // a removed folder has nothing to sync
                byDevice.putIfAbsent(device(dir), dir.toString());
            }
        }
        return List.copyOf(byDevice.values());
    }

    private static Object device(Path p) {
        try {
            return Files.getAttribute(p, "unix:dev");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return p; // unknown: sync its filesystem on its own
        }
    }

    private boolean runSyncfs(List<String> paths) {
        if (paths.isEmpty()) {
            return true;
        }
        try {
            List<String> command = new ArrayList<>(syncfs);
            command.addAll(paths);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(SYNCFS_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** fsync of one file or directory; false when it no longer exists (removed or moved by a reader). */
    private static boolean force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (FileSystemException e) {
            if (!Files.exists(p)) {
                return false;
            }
            throw e;
        }
    }
}
