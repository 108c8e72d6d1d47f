package org.postwerk.testkit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.postwerk.io.Disk;
import org.postwerk.io.PosixDisk;

/**
 * A {@link Disk} for durability tests. It passes each call to a real {@link PosixDisk} (but a filesystem sync,
 * which it only records), counts the calls, fails those a test asks to fail — EIO on a sync, ENOSPC on a write
 * — and remembers what each sync made durable, so that two kinds of crash can be simulated:
 * <ul>
 *   <li>{@link #kill()}: the process dies (SIGKILL). Every file it opened through this disk is closed (so its
 *       journal and queue locks are free); the page cache survives, every file stays as it was.</li>
 *   <li>{@link #powerCut()}: a kill, and the files lose what no sync made durable. A name survives only if its
 *       folder was synced after it appeared ({@link #syncDirectory} or a filesystem sync); a file created here
 *       keeps only the bytes that an fsync or fdatasync of it (or a filesystem sync) covered, and is empty if
 *       none did. Files written past this disk keep their content; a removal is never undone.</li>
 * </ul>
 * What exists under the root when the disk is made counts as durable. The model is kept per inode, so hard links
 * and renames after a sync are followed; a file written past this disk that reuses the inode of a removed one
 * would be mistaken for it (the tests create none after the disk is made).
 */
public final class FaultyDisk implements Disk {
    /** What a test can count or make fail. */
    public enum Op { FSYNC, FDATASYNC, SYNC_DIRECTORY, SYNC_FILESYSTEMS, WRITE }

    private record Fault(Op op, String prefix, boolean always) {}

    private final Path root;
    private final Disk real = new PosixDisk();
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Op, AtomicInteger> counts = new EnumMap<>(Op.class);
    private final List<Fault> faults = new ArrayList<>();             // guarded by lock
    private final Map<Object, Image> images = new HashMap<>();        // guarded by lock: by inode
    private final Map<Path, Set<String>> durableNames = new HashMap<>(); // guarded by lock
    private final Set<RecordingChannel> open = new HashSet<>();                // guarded by lock
    private volatile Duration syncDelay = Duration.ZERO;

    /** A disk for everything under {@code root}, which must exist; what is there now counts as durable. */
    public FaultyDisk(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        for (Op op : Op.values()) {
            counts.put(op, new AtomicInteger());
        }
        snapshotNames();
    }

    /** How many times {@code op} was called (including the calls that failed). */
    public int count(Op op) {
        return counts.get(op).get();
    }

    /**
     * The next {@code op} on a file or folder whose path starts with {@code prefix} (a folder, or the start of
     * a name) fails: EIO for a sync, ENOSPC for a write.
     */
    public void failNext(Op op, Path prefix) {
        addFault(new Fault(op, prefix.toAbsolutePath().normalize().toString(), false));
    }

    /** Every {@code op} on a path that starts with {@code prefix} fails until {@link #heal()}: a dying disk. */
    public void failAll(Op op, Path prefix) {
        addFault(new Fault(op, prefix.toAbsolutePath().normalize().toString(), true));
    }

    /** No more faults. */
    public void heal() {
        withLock(faults::clear);
    }

    /** Each fsync, fdatasync and directory fsync takes this long: concurrent commits must share them. */
    public void slowSyncs(Duration delay) {
        this.syncDelay = delay;
    }

    private void addFault(Fault f) {
        withLock(() -> faults.add(f));
    }

    @Override
    public FileChannel create(Path file) throws IOException {
        FileChannel ch = real.create(file);
        return track(file, ch, new Image());
    }

    @Override
    public FileChannel openOrCreate(Path file) throws IOException {
        FileChannel ch = real.openOrCreate(file);
        lock.lock();
        try {
            Image known = images.get(inode(file));
            return track(file, ch, known != null ? known : Image.of(Files.readAllBytes(file)));
        } finally {
            lock.unlock();
        }
    }

    private FileChannel track(Path file, FileChannel ch, Image image) throws IOException {
        RecordingChannel c = new RecordingChannel(this, file.toAbsolutePath().normalize(), ch, image);
        lock.lock();
        try {
            images.put(inode(file), image);
            open.add(c);
        } finally {
            lock.unlock();
        }
        return c;
    }

    @Override
    public void fsync(FileChannel file) throws IOException {
        sync(Op.FSYNC, file);
        real.fsync(((RecordingChannel) file).delegate);
    }

    @Override
    public void fdatasync(FileChannel file) throws IOException {
        sync(Op.FDATASYNC, file);
        real.fdatasync(((RecordingChannel) file).delegate);
    }

    /** What was written before the call becomes durable; the delay then makes the sync take its time. */
    private void sync(Op op, FileChannel file) throws IOException {
        RecordingChannel c = (RecordingChannel) file;
        check(op, c.path);
        withLock(c.image::sync);
        sleep(syncDelay);
    }

    @Override
    public void syncDirectory(Path dir) throws IOException {
        Path d = dir.toAbsolutePath().normalize();
        check(Op.SYNC_DIRECTORY, d);
        Set<String> names = names(d);
        withLock(() -> durableNames.put(d, names));
        sleep(syncDelay);
        real.syncDirectory(dir);
    }

    /** Recorded, not run: the model is what a test's crash consults, and a real syncfs only slows the tests. */
    @Override
    public void syncFileSystems(Collection<Path> paths) throws IOException {
        check(Op.SYNC_FILESYSTEMS, root);
        lock.lock();
        try {
            snapshotNames();
            images.values().forEach(Image::sync);
        } finally {
            lock.unlock();
        }
    }

    /** A SIGKILL: every file opened through this disk is closed; their content stays as it is. */
    public void kill() throws IOException {
        List<RecordingChannel> channels;
        lock.lock();
        try {
            channels = List.copyOf(open);
        } finally {
            lock.unlock();
        }
        for (RecordingChannel c : channels) {
            c.close();
        }
    }

    /** A power loss: a kill, then every file and name loses what no sync made durable (see the class comment). */
    public void powerCut() throws IOException {
        kill();
        lock.lock();
        try {
            loseNames(root);
            try (Stream<Path> all = Files.walk(root)) {
                for (Path f : all.filter(Files::isRegularFile).toList()) {
                    Image image = images.get(inode(f));
                    if (image != null) {
                        Files.write(f, image.durable(), StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                        image.sync(); // what is on disk now is all there is
                    }
                }
            }
            snapshotNames();
        } finally {
            lock.unlock();
        }
    }

    private void loseNames(Path dir) throws IOException {
        Set<String> durable = durableNames.getOrDefault(dir, Set.of());
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path e : entries.toList()) {
                if (!durable.contains(e.getFileName().toString())) {
                    deleteTree(e);
                } else if (Files.isDirectory(e)) {
                    loseNames(e);
                }
            }
        }
    }

    private static void deleteTree(Path p) throws IOException {
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    private void snapshotNames() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path d : all.filter(Files::isDirectory).toList()) {
                durableNames.put(d, names(d));
            }
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            Set<String> names = new HashSet<>();
            entries.forEach(e -> names.add(e.getFileName().toString()));
            return names;
        }
    }

    void check(Op op, Path path) throws IOException {
        counts.get(op).incrementAndGet();
        lock.lock();
        try {
            for (Fault f : faults) {
                if (f.op() == op && path.toString().startsWith(f.prefix())) {
                    if (!f.always()) {
                        faults.remove(f);
                    }
                    throw new IOException(op == Op.WRITE ? "No space left on device (injected)"
                            : "Input/output error (injected)");
                }
            }
        } finally {
            lock.unlock();
        }
    }

    void withLock(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }

    void closed(RecordingChannel c) {
        withLock(() -> open.remove(c));
    }

    private static Object inode(Path p) throws IOException {
        return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
    }

    private static void sleep(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A file's durable bytes and the writes since its last sync (in order), guarded by the disk's lock. */
    static final class Image {
        private byte[] bytes = new byte[0];
        private int length;
        private final List<Object> pending = new ArrayList<>(); // Write or Long (a truncation)

        private record Write(long position, byte[] data) {}

        static Image of(byte[] content) {
            Image i = new Image();
            i.bytes = content;
            i.length = content.length;
            return i;
        }

        void written(long position, byte[] data) {
            pending.add(new Write(position, data));
        }

        void truncated(long size) {
            pending.add(size);
        }

        void sync() {
            for (Object op : pending) {
                if (op instanceof Write w) {
                    int end = Math.toIntExact(w.position() + w.data().length);
                    if (end > bytes.length) {
                        bytes = Arrays.copyOf(bytes, Math.max(end, bytes.length * 2));
                    }
                    if (w.position() > length) {
                        Arrays.fill(bytes, length, (int) w.position(), (byte) 0);
                    }
                    System.arraycopy(w.data(), 0, bytes, (int) w.position(), w.data().length);
                    length = Math.max(length, end);
                } else if ((Long) op < length) {
                    length = (int) (long) (Long) op;
                }
            }
            pending.clear();
        }

        byte[] durable() {
            return Arrays.copyOf(bytes, length);
        }
    }
}
