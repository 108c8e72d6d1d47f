package org.postwerk.reports;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.postwerk.io.DurableFile;
import org.postwerk.tls.TlsResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts TLS results per UTC day, policy domain and policy (RFC 8460 §4.4) in memory, and writes them to
 * {@code <dir>/<yyyy-mm-dd>/<domain>.tsv} on {@link #flush} (durably: temp, fsync, rename). Results are
 * counted as delivery runs, so {@link #success}/{@link #failure} never touch the disk.
 *
 * <p>Guarantee: a crash loses the counts since the last flush (the caller flushes every minute and at stop);
 * for an aggregate report a few missing sessions are acceptable, a delivery waiting on a disk write is not.
 * Thread-safe.
 */
public final class TlsReportStore implements TlsResults {
    private static final Logger LOG = LoggerFactory.getLogger(TlsReportStore.class);
    private static final Pattern SAFE_DOMAIN = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    /** Distinct failure-details kept per policy: beyond this, failures are counted but not itemised. */
    static final int MAX_DETAILS = 100;
    private static final String NULL = "~"; // URLEncoder always encodes '~', so it cannot be a value

    private final Path dir;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Key, Map<TlsResults.Policy, Counts>> days = new TreeMap<>();
    private final Set<Key> dirty = new HashSet<>();

    /** A day's results for one policy domain. */
    public record Key(LocalDate day, String domain) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = day.compareTo(o.day);
            return c != 0 ? c : domain.compareTo(o.domain);
        }
    }

    private static final class Counts {
        long successes;
        long failures;
        final Map<List<Object>, Long> details = new LinkedHashMap<>();
    }

    /** Reads what an earlier run flushed (what cannot be read is logged and left alone). */
    public TlsReportStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
        load();
    }

    @Override
    public void success(String domain, Policy policy, String mx, String ip) {
        count(domain, policy, c -> c.successes++);
    }

    @Override
    public void failure(String domain, Policy policy, String mx, String ip, Failure type, String detail) {
        count(domain, policy, c -> {
            c.failures++;
            List<Object> k = Arrays.asList(type, mx, ip, detail);
            if (c.details.containsKey(k) || c.details.size() < MAX_DETAILS) {
                c.details.merge(k, 1L, Long::sum);
            }
        });
    }

    private void count(String domain, Policy policy, java.util.function.Consumer<Counts> change) {
        String d = domain.toLowerCase(java.util.Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (!SAFE_DOMAIN.matcher(d).matches()) {
            return; // not a name a report could be about (and it becomes a file name)
        }
        Key key = new Key(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), d);
        lock.lock();
        try {
            change.accept(days.computeIfAbsent(key, k -> new LinkedHashMap<>())
                    .computeIfAbsent(policy, p -> new Counts()));
            dirty.add(key);
        } finally {
            lock.unlock();
        }
    }

    /** The days and domains with results, oldest first. */
    public List<Key> keys() {
        lock.lock();
        try {
            return List.copyOf(days.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** The results of one day and domain. */
    public List<TlsTotals> read(Key key) {
        lock.lock();
        try {
            List<TlsTotals> out = new ArrayList<>();
            days.getOrDefault(key, Map.of()).forEach((policy, c) -> out.add(totals(policy, c)));
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a reported day and domain, in memory and on disk. */
    public void remove(Key key) throws IOException {
        lock.lock();
        try {
            days.remove(key);
            dirty.remove(key);
            Files.deleteIfExists(file(key));
        } finally {
            lock.unlock();
        }
    }

    /** Writes every changed day and domain. */
    public void flush() throws IOException {
        Map<Key, String> texts = new LinkedHashMap<>();
        lock.lock();
        try {
            for (Key k : dirty) {
                texts.put(k, format(days.get(k)));
            }
            dirty.clear();
            // Written under the lock: a concurrent remove must not be undone by a late write.
            for (Map.Entry<Key, String> e : texts.entrySet()) {
                Files.createDirectories(file(e.getKey()).getParent());
                DurableFile.write(file(e.getKey()), e.getValue().getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            dirty.addAll(texts.keySet()); // still in memory: the next flush tries again
            throw e;
        } finally {
            lock.unlock();
        }
    }

    private Path file(Key k) {
        return dir.resolve(k.day().toString()).resolve(k.domain() + ".tsv");
    }

    private static TlsTotals totals(Policy policy, Counts c) {
        List<TlsTotals.Detail> details = new ArrayList<>();
        c.details.forEach((k, n) -> details.add(new TlsTotals.Detail((Failure) k.get(0), (String) k.get(1),
                (String) k.get(2), (String) k.get(3), n)));
        return new TlsTotals(policy, c.successes, c.failures, details);
    }

    // The file: "policy TYPE STRINGS MX-HOSTS SUCCESSES FAILURES" then its "failure TYPE MX IP DETAIL COUNT" lines,
    // tab-separated, each value URL-encoded (lists: encoded items joined by ','), "~" for none.

    private static String format(Map<Policy, Counts> policies) {
        StringBuilder sb = new StringBuilder();
        policies.forEach((p, c) -> {
            sb.append(String.join("\t", "policy", p.type().code(), list(p.strings()), list(p.mxHost()),
                    Long.toString(c.successes), Long.toString(c.failures))).append('\n');
            c.details.forEach((k, n) -> sb.append(String.join("\t", "failure", ((Failure) k.get(0)).code(),
                    enc((String) k.get(1)), enc((String) k.get(2)), enc((String) k.get(3)), Long.toString(n)))
                    .append('\n'));
        });
        return sb.toString();
    }

    private void load() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> found;
        try (Stream<Path> files = Files.find(dir, 2, (p, a) -> a.isRegularFile()
                && p.getFileName().toString().endsWith(".tsv"))) {
            found = files.toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            // Reports must never keep the server from starting: begin with no earlier counts.
            LOG.warn("TLS report data in {} unreadable, starting without it: {}", dir, e.toString());
            return;
        }
        for (Path f : found) {
            String name = f.getFileName().toString();
            try {
                Key k = new Key(LocalDate.parse(f.getParent().getFileName().toString()),
                        name.substring(0, name.length() - 4));
                days.put(k, parse(Files.readAllLines(f, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                LOG.warn("TLS report data {} unreadable, left as is: {}", f, e.toString());
            }
        }
    }

    private static Map<Policy, Counts> parse(List<String> lines) {
        Map<Policy, Counts> out = new LinkedHashMap<>();
        Counts current = null;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length == 6 && f[0].equals("policy")) {
                Policy p = new Policy(type(f[1]), unlist(f[2]), unlist(f[3]));
                current = out.computeIfAbsent(p, x -> new Counts());
                current.successes += Long.parseLong(f[4]);
                current.failures += Long.parseLong(f[5]);
            } else if (f.length == 6 && f[0].equals("failure") && current != null) {
                current.details.merge(Arrays.asList(failure(f[1]), dec(f[2]), dec(f[3]), dec(f[4])),
                        Long.parseLong(f[5]), Long::sum);
            } else {
                throw new IllegalArgumentException("not a line of TLS report data: " + line);
            }
        }
        return out;
    }

    private static Policy.Type type(String code) {
        return Arrays.stream(Policy.Type.values()).filter(t -> t.code().equals(code)).findFirst().orElseThrow();
    }

    private static Failure failure(String code) {
        return Arrays.stream(Failure.values()).filter(t -> t.code().equals(code)).findFirst().orElseThrow();
    }

    private static String enc(String s) {
        return s == null ? NULL : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String dec(String s) {
        return s.equals(NULL) ? null : URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String list(List<String> items) {
        return String.join(",", items.stream().map(TlsReportStore::enc).toList());
    }

    private static List<String> unlist(String s) {
        return s.isEmpty() ? List.of() : Arrays.stream(s.split(",", -1)).map(TlsReportStore::dec).toList();
    }
}
