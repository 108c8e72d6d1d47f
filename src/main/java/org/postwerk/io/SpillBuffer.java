package org.postwerk.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Holds one message while it is received: in memory up to a threshold, then in a temporary file in
 * {@code spillDir}, so memory per session stays bounded whatever the message size. Not durable on purpose:
 * it only lives until the message is checked and copied into its durable home. Close to delete.
 */
public final class SpillBuffer extends OutputStream {
    private final Path spillDir;
    private final int threshold;
    private byte[] memory = new byte[8192];
    private int count;
    private Path file;
    private OutputStream fileOut;
    private long size;

    public SpillBuffer(Path spillDir, int threshold) {
        this.spillDir = spillDir;
        this.threshold = threshold;
    }

    public long size() {
        return size;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        size += len;
        if (fileOut == null && count + len > threshold) {
            Files.createDirectories(spillDir, FileModes.folder());
            file = Files.createTempFile(spillDir, "msg", ".spill"); // mode 0600, as every temporary file
            try {
                fileOut = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.WRITE), 64 * 1024);
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw e;
            }
            fileOut.write(memory, 0, count);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
            return;
        }
        if (count + len > memory.length) {
            memory = Arrays.copyOf(memory, Math.min(threshold, Math.max(memory.length * 2, count + len)));
        }
        System.arraycopy(b, off, memory, count, len);
        count += len;
    }

    /** Copies everything written so far to {@code out}. */
    public void writeTo(OutputStream out) throws IOException {
        if (fileOut == null) {
            out.write(memory, 0, count);
            return;
        }
        fileOut.flush();
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    /** Deletes the temporary file, if any. */
    @Override
    public void close() {
        memory = null;
        if (fileOut != null) {
            try {
                fileOut.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a stray spill file is harmless; the server empties the spill folder at start
            }
            fileOut = null;
        }
    }
}
