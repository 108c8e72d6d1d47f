package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.postwerk.mailbox.DecodedCache;
import org.postwerk.mailbox.MessageCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder's {@link MessageCache} in {@code postwerk.cache}: a header ({@code PWCA}, version, UIDVALIDITY)
 * then records of UID, length, bytes and CRC32C, appended as messages are first parsed. The offsets live in
 * memory (about 30 bytes a message); reads are positional, so they run in parallel and the page cache
 * holds the hot part. A torn or damaged record ends the file (it is cut there); a UIDVALIDITY that differs
 * discards it. Superseded records are dropped when the file is rewritten, once more than half of it is dead.
 * Decoded forms of the records are kept in the process's {@link DecodedCache}, until the folder is closed.
 */
final class CacheFile implements MessageCache, AutoCloseable {
    static final String NAME = "postwerk.cache";
    private static final Logger LOG = LoggerFactory.getLogger(CacheFile.class);
    private static final int MAGIC = 0x50574341; // "PWCA"
    private static final int HEADER = 13;
    private static final int MAX_RECORD = 16 << 20;

    private final Path file;
    private final long uidValidity;
    private final DecodedCache memory;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, long[]> offsets = new HashMap<>(); // uid -> {offset of bytes, length}; guarded by lock
    private FileChannel channel;
    private long end;
    private long live;

    CacheFile(Path dir, long uidValidity, DecodedCache memory) {
        this.file = dir.resolve(NAME);
        this.uidValidity = uidValidity;
        this.memory = memory;
    }

    private void open() throws IOException {
        if (channel != null) {
            return;
        }
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ByteBuffer h = ByteBuffer.allocate(HEADER);
        if (channel.read(h, 0) == HEADER && h.getInt(0) == MAGIC && h.get(4) == 1 && h.getLong(5) == uidValidity) {
            scan();
        } else {
            channel.truncate(0);
            h.clear();
            h.putInt(MAGIC).put((byte) 1).putLong(uidValidity).flip();
            channel.write(h, 0);
            end = HEADER;
        }
    }

    private void scan() throws IOException {
        long pos = HEADER;
        long size = channel.size();
        ByteBuffer head = ByteBuffer.allocate(12);
        while (pos + 16 <= size) {
            head.clear();
            channel.read(head, pos);
            long uid = head.getLong(0);
            int len = head.getInt(8);
            if (len < 0 || len > MAX_RECORD || pos + 16 + len > size) {
                break;
            }
            ByteBuffer data = ByteBuffer.allocate(len + 4);
            channel.read(data, pos + 12);
            CRC32C crc = new CRC32C();
            crc.update(data.array(), 0, len);
            if ((int) crc.getValue() != data.getInt(len)) {
                break;
            }
            long[] old = offsets.put(uid, new long[] {pos + 12, len});
            live += len - (old == null ? 0 : old[1]);
            pos += 16 + len;
        }
        if (pos < size) {
            channel.truncate(pos); // a torn or damaged tail: everything after it is lost anyway
        }
        end = pos;
    }

    @Override
    public byte[] get(long uid) {
        long[] at;
        FileChannel ch;
        lock.lock();
        try {
            open();
            at = offsets.get(uid);
            ch = channel;
        } catch (IOException e) {
            LOG.warn("cache {} unusable: {}", file, e.toString());
            return null;
        } finally {
            lock.unlock();
        }
        if (at == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.allocate((int) at[1]);
            while (b.hasRemaining()) {
                if (ch.read(b, at[0] + b.position()) < 0) {
                    return null;
                }
            }
            return b.array();
        } catch (IOException e) {
            return null; // closed by a rewrite meanwhile: derive it again
        }
    }

    @Override
    public void put(long uid, byte[] data) {
        if (data.length > MAX_RECORD) {
            return;
        }
        lock.lock();
        try {
            open();
            ByteBuffer rec = ByteBuffer.allocate(16 + data.length);
            CRC32C crc = new CRC32C();
            crc.update(data);
            rec.putLong(uid).putInt(data.length).put(data).putInt((int) crc.getValue()).flip();
            long at = end;
            while (rec.hasRemaining()) {
                channel.write(rec, at + rec.position());
            }
            end = at + 16 + data.length;
            long[] old = offsets.put(uid, new long[] {at + 12, data.length});
            live += data.length - (old == null ? 0 : old[1]);
        } catch (IOException e) {
            LOG.warn("cache {} not written: {}", file, e.toString());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Object decoded(long uid) {
        return memory.get(this, uid);
    }

    @Override
    public void decoded(long uid, Object data, int size) {
        memory.put(this, uid, data, size);
    }

    /** Forgets expunged messages; rewrites the file when most of it is dead. */
    void retain(java.util.function.LongPredicate present) {
        lock.lock();
        try {
            offsets.entrySet().removeIf(e -> {
                boolean gone = !present.test(e.getKey());
                if (gone) {
                    live -= e.getValue()[1];
                }
                return gone;
            });
            if (channel != null && end > 1 << 20 && live < (end - HEADER) / 2) {
                rewrite();
            }
        } catch (IOException e) {
            LOG.warn("cache {} not compacted: {}", file, e.toString());
        } finally {
            lock.unlock();
        }
    }

    private void rewrite() throws IOException {
        Path tmp = file.resolveSibling(NAME + ".tmp");
        Map<Long, long[]> moved = new HashMap<>();
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer h = ByteBuffer.allocate(HEADER).putInt(MAGIC).put((byte) 1).putLong(uidValidity).flip();
            out.write(h);
            long pos = HEADER;
            for (Map.Entry<Long, long[]> e : offsets.entrySet()) {
                long[] at = e.getValue();
                int n = (int) at[1];
                ByteBuffer rec = ByteBuffer.allocate(n + 16);
                rec.putLong(e.getKey()).putInt(n);
                rec.limit(12 + n + 4);
                channel.read(rec, at[0]);
                rec.flip();
                out.write(rec);
                moved.put(e.getKey(), new long[] {pos + 12, n});
                pos += 16 + n;
            }
            end = pos;
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel.close();
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        offsets.clear();
        offsets.putAll(moved);
    }

    @Override
    public void close() {
        memory.forget(this);
        lock.lock();
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            // nothing to keep
        } finally {
            lock.unlock();
        }
    }
}
