package org.postwerk.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A file opened through a {@link FaultyDisk}: each write is checked for an injected fault and recorded in the
 * file's image (what a sync will make durable); {@code force()} is refused, so nothing syncs past the seam.
 */
final class RecordingChannel extends FileChannel {
    private final FaultyDisk disk;
    final Path path;
    final FileChannel delegate;
    final FaultyDisk.Image image;

    RecordingChannel(FaultyDisk disk, Path path, FileChannel delegate, FaultyDisk.Image image) {
        this.disk = disk;
        this.path = path;
        this.delegate = delegate;
        this.image = image;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        disk.check(FaultyDisk.Op.WRITE, path);
        long at = delegate.position();
        ByteBuffer copy = src.duplicate();
        int n = delegate.write(src);
        record(at, new ByteBuffer[] {copy}, n);
        return n;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        disk.check(FaultyDisk.Op.WRITE, path);
        long at = delegate.position();
        ByteBuffer[] copies = new ByteBuffer[length];
        for (int i = 0; i < length; i++) {
            copies[i] = srcs[offset + i].duplicate();
        }
        long n = delegate.write(srcs, offset, length);
        record(at, copies, n);
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        disk.check(FaultyDisk.Op.WRITE, path);
        ByteBuffer copy = src.duplicate();
        int n = delegate.write(src, position);
        record(position, new ByteBuffer[] {copy}, n);
        return n;
    }

    private void record(long at, ByteBuffer[] buffers, long n) {
        byte[] data = new byte[Math.toIntExact(n)];
        int filled = 0;
        for (ByteBuffer b : buffers) {
            int take = Math.min(b.remaining(), data.length - filled);
            b.get(data, filled, take);
            filled += take;
        }
        disk.withLock(() -> image.written(at, data));
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        delegate.truncate(size);
        disk.withLock(() -> image.truncated(size));
        return this;
    }

    @Override
    public void force(boolean metaData) {
        throw new AssertionError("force() called past the Disk seam on " + path);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return delegate.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return delegate.read(dst, position);
    }

    @Override
    public long position() throws IOException {
        return delegate.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        delegate.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return delegate.size();
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return delegate.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("not recorded: write instead");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("not recorded: write instead");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return delegate.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return delegate.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        delegate.close();
        disk.closed(this);
    }
}
