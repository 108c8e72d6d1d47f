package org.postwerk.sts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.postwerk.io.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies fetched so far, by domain (RFC 8461 §5.1), in memory and in one readable file per domain under
 * {@code data/mta-sts/} so a restart does not forget an {@code enforce} policy. Bounded: the least recently used
 * entry goes first, its file with it. Entries past {@code max_age} are never returned. Thread-safe; file I/O
 * happens outside the lock.
 */
final class PolicyCache {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.sts");
    /** Domains as they name files: A-labels only, so no path can be formed from a recipient domain. */
    static final Pattern FILE_SAFE = Pattern.compile("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?");

    /** One cached policy: the TXT id it was fetched for and when. */
    record Entry(String id, StsPolicy policy, Instant fetched) {
        boolean fresh(Instant now) {
            return now.isBefore(fetched.plus(policy.maxAge()));
        }
    }

    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Entry> entries;
    private final List<String> evicted = new ArrayList<>();

    /** @param dir the folder (created on the first write); null keeps policies in memory only */
    PolicyCache(Path dir, int maxEntries) {
        this.dir = dir;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PolicyCache.Entry> eldest) {
                if (size() > maxEntries) {
                    evicted.add(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    /** The fresh entry for {@code domain}, if there is one. */
    Optional<Entry> get(String domain, Instant now) {
        lock.lock();
        try {
            return Optional.ofNullable(entries.get(domain)).filter(e -> e.fresh(now));
        } finally {
            lock.unlock();
        }
    }

    void put(String domain, Entry entry) {
        List<String> gone;
        lock.lock();
        try {
            entries.put(domain, entry);
            gone = List.copyOf(evicted);
            evicted.clear();
        } finally {
            lock.unlock();
        }
        if (dir == null) {
            return;
        }
        try {
            for (String g : gone) {
                Files.deleteIfExists(file(g));
            }
            DurableFile.write(file(domain), ("id: " + entry.id() + "\r\nfetched: " + entry.fetched() + "\r\n\r\n"
                    + entry.policy().text()).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            LOG.warn("event=mta-sts-cache-write domain={} reason=\"{}\"", domain, e.getMessage());
        }
    }

    /** Reads the folder: fresh entries come back (newest kept when over the bound), stale files are removed. */
    void load(Instant now) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        Map<String, Entry> found = new LinkedHashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.policy")) {
            for (Path f : files) {
                String domain = f.getFileName().toString().replaceFirst("\\.policy$", "");
                Optional<Entry> e = read(f).filter(x -> x.fresh(now));
                if (e.isPresent() && FILE_SAFE.matcher(domain).matches()) {
                    found.put(domain, e.get());
                } else {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            LOG.warn("event=mta-sts-cache-read reason=\"{}\"", e.getMessage());
        }
        lock.lock();
        try {
            found.entrySet().stream().sorted(Comparator.comparing(x -> x.getValue().fetched()))
                    .forEach(x -> entries.put(x.getKey(), x.getValue()));
            evicted.forEach(g -> file(g).toFile().delete()); // over the bound: the oldest files go
            evicted.clear();
        } finally {
            lock.unlock();
        }
    }

    /** One file: {@code id:} and {@code fetched:} lines, an empty line, the policy as served. */
    private static Optional<Entry> read(Path f) {
        try {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String[] headAndBody = text.split("\r?\n\r?\n", 2);
            String[] head = headAndBody[0].split("\r?\n");
            if (headAndBody.length < 2 || head.length != 2 || !head[0].startsWith("id: ")
                    || !head[1].startsWith("fetched: ")) {
                return Optional.empty();
            }
            Optional<StsRecord> id = StsRecord.parse("v=STSv1; id=" + head[0].substring(4));
            Instant fetched = Instant.parse(head[1].substring(9));
            return id.flatMap(r -> StsPolicy.parse(headAndBody[1]) instanceof StsPolicy.Parsed.Valid v
                    ? Optional.of(new Entry(r.id(), v.policy(), fetched)) : Optional.empty());
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private Path file(String domain) {
        return dir.resolve(domain + ".policy");
    }
}
