package org.postwerk.auth.dmarc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.postwerk.io.FileModes;

/**
 * Keeps the data for DMARC aggregate reports (RFC 7489 §7.2): one append-only text file per UTC day and policy
 * domain, {@code <dir>/<yyyy-mm-dd>/<domain>.tsv}, one line per message; {@link #read} counts equal lines.
 *
 * <p>Guarantee: when {@link #record} returns, the line is in the operating system's hands (it survives the
 * process being killed). It reaches the disk at the next fsync, which {@code record} does when the previous one
 * is older than {@code syncInterval}, and {@link #sync} and {@link #close} do always: a power loss may cost the
 * rows of the last interval (the caller may call {@code sync} on a timer). A line torn by a crash is ignored on
 * reading and never glued to the next one. Thread-safe.
 */
public final class DmarcReportStore implements AutoCloseable {
    private static final int MAX_OPEN = 32;
    private static final Pattern SAFE_DOMAIN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

    private final Path dir;
    private final Clock clock;
    private final Duration syncInterval;
    private final ReentrantLock lock = new ReentrantLock();
    /** Open files, least recently used first; evicted ones are synced and closed. */
    private final LinkedHashMap<Path, FileChannel> open = new LinkedHashMap<>(16, 0.75f, true);
    private Instant lastSync;

    /**
     * @param dir          the store's directory, {@code DATA/dmarc}
     * @param clock        gives the day (UTC) and the sync timing
     * @param syncInterval longest time between fsyncs while rows arrive
     */
    public DmarcReportStore(Path dir, Clock clock, Duration syncInterval) {
        this.dir = dir;
        this.clock = clock;
        this.syncInterval = syncInterval;
        this.lastSync = clock.instant();
    }

    /** Counts one message for today. */
    public void record(ReportRow row) throws IOException {
        Instant now = clock.instant();
        Path file = file(LocalDate.ofInstant(now, ZoneOffset.UTC), row.policyDomain());
        byte[] line = ReportLines.format(row).getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            write(channel(file), ByteBuffer.wrap(line));
            if (!now.isBefore(lastSync.plus(syncInterval))) {
                syncLocked(now);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The policy domains with data on {@code day}. */
    public List<String> domains(LocalDate day) throws IOException {
        Path dayDir = dir.resolve(day.toString());
        if (!Files.isDirectory(dayDir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dayDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tsv"))
                    .map(n -> n.substring(0, n.length() - 4)).sorted().toList();
        }
    }

    /** The days with data, oldest first. */
    public List<LocalDate> days() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> days = Files.list(dir)) {
            return days.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}"))
                    .map(LocalDate::parse).sorted().toList();
        }
    }

    /** Removes a reported day's data of one policy domain (and the day's folder once it is empty). */
    public void remove(LocalDate day, String policyDomain) throws IOException {
        Path file = file(day, policyDomain);
        lock.lock();
        try {
            FileChannel ch = open.remove(file);
            if (ch != null) {
                ch.close();
            }
            Files.deleteIfExists(file);
            try (Stream<Path> left = Files.list(file.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.deleteIfExists(file.getParent());
                }
            }
        } catch (NoSuchFileException e) {
            // the day's folder is gone already
        } finally {
            lock.unlock();
        }
    }

    /** One day's rows for one policy domain with their counts, in order of first appearance. */
    public List<ReportCount> read(LocalDate day, String policyDomain) throws IOException {
        List<String> lines;
        try {
            lines = readComplete(file(day, policyDomain));
        } catch (NoSuchFileException e) {
            return List.of();
        }
        Map<ReportRow, Long> counts = new LinkedHashMap<>();
        for (String line : lines) {
            ReportLines.parse(policyDomain, line).ifPresent(r -> counts.merge(r, 1L, Long::sum));
        }
        List<ReportCount> out = new ArrayList<>();
        counts.forEach((row, n) -> out.add(new ReportCount(row, n)));
        return out;
    }

    /** Forces every open file to disk. */
    public void sync() throws IOException {
        lock.lock();
        try {
            syncLocked(clock.instant());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            syncLocked(clock.instant());
            for (FileChannel ch : open.values()) {
                ch.close();
            }
            open.clear();
        } finally {
            lock.unlock();
        }
    }

    private Path file(LocalDate day, String policyDomain) {
        // The domain becomes a file name: never let it climb out of the directory.
        if (!SAFE_DOMAIN.matcher(policyDomain).matches()) {
            throw new IllegalArgumentException("not a policy domain: " + policyDomain);
        }
        return dir.resolve(day.toString()).resolve(policyDomain + ".tsv");
    }

    private FileChannel channel(Path file) throws IOException {
        FileChannel ch = open.get(file);
        if (ch != null) {
            return ch;
        }
        if (open.size() >= MAX_OPEN) {
            Map.Entry<Path, FileChannel> eldest = open.entrySet().iterator().next();
            eldest.getValue().force(false);
            eldest.getValue().close();
            open.remove(eldest.getKey());
        }
        Files.createDirectories(file.getParent(), FileModes.folder());
        boolean torn = endsTorn(file);
        ch = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND), FileModes.file());
        if (torn) {
            write(ch, ByteBuffer.wrap(new byte[] {'\n'}));
        }
        open.put(file, ch);
        return ch;
    }

    /** After a crash the file may end inside a line; start the next row on a line of its own. */
    private static boolean endsTorn(Path file) throws IOException {
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer last = ByteBuffer.allocate(1);
            return size > 0 && ch.read(last, size - 1) == 1 && last.get(0) != '\n';
        }
    }

    private void syncLocked(Instant now) throws IOException {
        for (FileChannel ch : open.values()) {
            ch.force(false);
        }
        lastSync = now;
    }

    private static void write(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    /** The lines that end in a newline; a torn last line is left out. */
    private static List<String> readComplete(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }
}
