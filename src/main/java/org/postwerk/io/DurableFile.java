package org.postwerk.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Replaces a file so that a crash leaves either the old or the new content, never half a file: write a
 * temporary file (mode 0600) in the same directory, fsync it, rename it over the target, fsync the directory.
 */
public final class DurableFile {
    private static final Disk POSIX = new PosixDisk();
    // Only makes temporary names unique; SecureRandom because it is thread-safe without locking.
    private static final SecureRandom RANDOM = new SecureRandom();

    private DurableFile() {}

    /** Writes {@code content} to {@code target} atomically: account, TLS and DKIM files, queue requests. */
    public static void write(Path target, byte[] content) throws IOException {
        write(POSIX, target, content);
    }

    /** The same through {@code disk}; missing folders are created (0700). */
    public static void write(Disk disk, Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        disk.createDirectories(dir);
        String unique = Long.toUnsignedString(RANDOM.nextLong(), 36);
        Path tmp = dir.resolve("." + target.getFileName() + "." + unique + ".tmp");
        try {
            try (FileChannel ch = disk.create(tmp)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                disk.fsync(ch);
            }
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        disk.syncDirectory(dir);
    }

    /**
     * True when {@code file} holds exactly {@code content[offset, offset + size)}: for a journal replay, which
     * compares content, not just size, as a file placed without fsync may have its size but zeros after a power loss.
     */
    public static boolean holds(Path file, byte[] content, int offset, int size) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) != size) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), 0, size, content, offset, offset + size);
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
