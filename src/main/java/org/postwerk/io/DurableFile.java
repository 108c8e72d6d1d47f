package org.postwerk.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Replaces a file so that a crash leaves either the old or the new content, never half a file:
 * write a temporary file in the same directory, fsync it, rename it over the target, fsync the directory.
 */
public final class DurableFile {
    /** Owner read/write only: for private keys and password hashes. */
    public static final Set<PosixFilePermission> PRIVATE =
            PosixFilePermissions.fromString("rw-------");

    private static final Set<StandardOpenOption> OPEN_NEW =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    // Only makes temporary names unique; SecureRandom because it is thread-safe without locking.
    private static final SecureRandom RANDOM = new SecureRandom();

    private DurableFile() {}

    /** Writes {@code content} to {@code target} atomically, with the permissions the umask allows. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, null);
    }

    /**
     * Writes {@code content} to {@code target} atomically with the given POSIX permissions (ignored on
     * filesystems without POSIX attributes). The permissions are set when the temporary file is created,
     * so the content is never readable by others, not even for a moment.
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String unique = Long.toUnsignedString(RANDOM.nextLong(), 36);
        Path tmp = dir.resolve("." + target.getFileName() + "." + unique + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, OPEN_NEW, attributes(dir, permissions))) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        syncDirectory(dir);
    }

    /** Fsyncs a directory so that a rename or a new entry in it survives a crash. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (FileSystemException e) {
            // Some platforms cannot open a directory for reading; there the rename is all we can do.
        }
    }

    private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> permissions) {
        boolean posix = Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null;
        if (permissions == null || !posix) {
            return new FileAttribute<?>[0];
        }
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)};
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
