package org.postwerk.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes everything written under a directory durable, for a journal checkpoint. On Linux that is one
 * {@code syncfs(2)} of the filesystem, run as {@code sync -f DIR} (coreutils): the JDK has no call for it and
 * our language level (21) has no final foreign-function API. One syncfs writes back and flushes the disk cache
 * once for thousands of files, where fsyncing each file would flush it once per file. Where {@code sync -f}
 * is missing or fails, each touched file and its directory is fsync'd instead: slower, equally durable.
 */
public final class FileSystemSync {
    private static final Logger LOG = LoggerFactory.getLogger(FileSystemSync.class);
    private static final long TIMEOUT_SECONDS = 300;

    private final Path root;
    private volatile boolean syncfs;

    /** @param useSyncfs false: always fsync file by file (tests of the fallback, non-Linux systems) */
    public FileSystemSync(Path root, boolean useSyncfs) {
        this.root = root.toAbsolutePath();
        this.syncfs = useSyncfs;
    }

    /** Returns when every write under the root made before this call is durable, at least those to {@code touched}. */
    public void sync(Collection<Path> touched) throws IOException {
        if (syncfs) {
            if (runSyncfs()) {
                return;
            }
            syncfs = false;
            LOG.warn("'sync -f {}' is not available: journal checkpoints fsync file by file", root);
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

    private boolean runSyncfs() {
        try {
            Process p = new ProcessBuilder("sync", "-f", root.toString()).redirectErrorStream(true)
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
