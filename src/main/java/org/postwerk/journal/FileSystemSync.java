package org.postwerk.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * Makes everything written under a directory durable, for a journal checkpoint. On Linux that is one
 * {@code syncfs(2)} of each filesystem involved, run as {@code sync -f PATH...} (coreutils): the JDK has no
 * call for it and our language level (21) has no final foreign-function API. One syncfs writes back and
 * flushes the disk cache once for thousands of files, where fsyncing each file would flush it once per file.
 * Where {@code sync -f} is missing or fails, each touched file and its directory is fsync'd instead: slower,
 * equally durable.
 */
public final class FileSystemSync {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSync.class);
    private static final long TIMEOUT_SECONDS = 300;

    private final Path root;
    private final boolean syncfs;
    private volatile boolean warned;

    /** @param useSyncfs false: always fsync file by file (tests of the fallback, non-Linux systems) */
    public FileSystemSync(Path root, boolean useSyncfs) {
        this.root = root.toAbsolutePath();
        this.syncfs = useSyncfs;
    }

    /** Returns when every write under the root made before this call is durable, at least those to {@code touched}. */
    public void sync(Collection<Path> touched) throws IOException {
        if (syncfs) {
            if (runSyncfs(filesystems(touched))) {
                return;
            }
            if (!warned) {
                warned = true;
                LOG.warn("'sync -f' failed under {}: this checkpoint fsyncs file by file (logged once)", root);
            }
        }
        Set<Path> dirs = new LinkedHashSet<>();
        for (Path p : touched) {
            if (force(p)) {
                dirs.add(p.toAbsolutePath().getParent());
            }
        }
        for (Path d : dirs) {
            force(d);
        }
    }

    /**
     * One path on each filesystem that holds the root or a touched file (a Maildir may be a mount or a symlink
     * to another disk): {@code sync -f} syncs the filesystem of each path it is given.
     */
    private List<String> filesystems(Collection<Path> touched) {
        Map<Object, String> byDevice = new LinkedHashMap<>();
        Set<Path> seen = new HashSet<>();
        byDevice.put(device(root), root.toString());
        for (Path p : touched) {
            Path dir = p.toAbsolutePath().getParent();
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
        try {
            List<String> command = new ArrayList<>(List.of("sync", "-f"));
            command.addAll(paths);
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
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
