package org.postwerk.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The one seam between Postwerk's durable state and the disk: how the files it keeps are created (mode 0600,
 * folders 0700, from their first moment, whatever the umask would allow) and made durable — fsync, fdatasync,
 * the fsync of a directory and the sync of whole filesystems. The journal, the Maildir store, the queue spool
 * and {@link DurableFile} call these and never {@code force()} themselves, so a test can count every sync and
 * make any of them fail. {@link PosixDisk} is the production one.
 */
public interface Disk {
    /** Creates a file that must not exist yet, open for writing, mode 0600. */
    FileChannel create(Path file) throws IOException;

    /** Opens a file for writing, created (mode 0600) when missing: for lock files. */
    FileChannel openOrCreate(Path file) throws IOException;

    /** fsync(2): the file's content and all its metadata reach the disk. */
    void fsync(FileChannel file) throws IOException;

    /** fdatasync(2): the content and the metadata needed to read it back (the size), not the times. */
    void fdatasync(FileChannel file) throws IOException;

    /** fsync(2) of a directory: the creations, renames and removals of its entries survive a crash. */
    void syncDirectory(Path dir) throws IOException;

    /**
     * Returns when everything written before the call to the filesystems that hold {@code paths} is durable,
     * at least the paths themselves and their names: {@code syncfs(2)} of each filesystem once, for any number
     * of files. A path may be a folder, for everything in it. A path that no longer exists (a reader moved it) is
     * no error.
     */
    void syncFileSystems(Collection<Path> paths) throws IOException;

    /** Creates the folders that are missing (mode 0700) and makes each new one durable in its parent. */
    default void createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        Path parent = absolute.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(absolute, FileModes.folder());
        } catch (FileAlreadyExistsException e) {
            return; // created concurrently
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }
}
