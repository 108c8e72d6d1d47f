package org.postwerk.screen;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.postwerk.config.Network;
import org.postwerk.config.ScreenConfig.GreylistConfig;

/**
 * Greylisting as postgrey does it, on the triplet (client network, sender, recipient). The network is the
 * client's /24 or /64, since big senders retry from another address of the same farm. The first attempt of a
 * triplet is refused for a while; a retry after {@code delay} and within {@code retryWindow} of the first
 * attempt passes, and so does the triplet from then on, until it has not been seen for {@code maxAge}. A client
 * network with {@code autoWhitelist} triplets passed that way passes at once. Both tables are bounded by
 * {@code maxEntries}, least recently seen out first. Kept in memory; {@link #save} writes it to the data folder
 * (a crash loses what changed since the last save: a client is greylisted once more, nothing worse).
 */
final class Greylist {
    /** What greylisting says about one recipient; {@code retryIn} only for {@link Verdict#GREYLISTED}. */
    record Decision(Verdict verdict, Duration retryIn) {}

    enum Verdict {
        /** First attempt, or a retry too early: 450. */
        GREYLISTED,
        /** A retry after the delay: this triplet passes from now on. */
        PASSED,
        /** A triplet that passed before. */
        KNOWN,
        /** A client network that retried well often enough. */
        WHITELISTED
    }

    record Triplet(String network, String sender, String recipient) {}

    /** Times in epoch seconds. Mutable, guarded by the lock. */
    static final class Entry {
        long first;
        long last;
        boolean passed;

        Entry(long first, long last, boolean passed) {
            this.first = first;
            this.last = last;
            this.passed = passed;
        }
    }

    static final class Client {
        long last;
        int passed;

        Client(long last, int passed) {
            this.last = last;
            this.passed = passed;
        }
    }

    private static final Pattern BATV = Pattern.compile("^(prvs|msprvs1)=[^=]+=");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");

    private final GreylistConfig config;
    private final Clock clock;
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock saving = new ReentrantLock();
    private final Map<Triplet, Entry> triplets;
    private final Map<String, Client> clients;
    private boolean changed;

    /** Reads the state {@code file} holds, if any; an unreadable file is set aside (renamed), never deleted. */
    Greylist(GreylistConfig config, Clock clock, Path file) throws IOException {
        this.config = config;
        this.clock = clock;
        this.file = file;
        this.triplets = bounded(config.maxEntries());
        this.clients = bounded(config.maxEntries());
        GreylistFile.load(file, triplets, clients);
        long now = now();
        triplets.values().removeIf(e -> expired(e, now));
        clients.values().removeIf(c -> now - c.last > config.maxAge().toSeconds());
    }

    private static <K, V> Map<K, V> bounded(int max) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > max;
            }
        };
    }

    Decision check(InetAddress client, String sender, String recipient) {
        String network = Network.containing(client, 24, 64).toString();
        Triplet key = new Triplet(network, normalSender(sender), recipient.toLowerCase(Locale.ROOT));
        long now = now();
        lock.lock();
        try {
            changed = true;
            Client c = clients.get(network);
            if (c != null && now - c.last > config.maxAge().toSeconds()) {
                clients.remove(network);
                c = null;
            }
            if (c != null && config.autoWhitelist() > 0 && c.passed >= config.autoWhitelist()) {
                c.last = now;
                return new Decision(Verdict.WHITELISTED, Duration.ZERO);
            }
            Entry e = triplets.get(key);
            if (e != null && expired(e, now)) {
                e = null; // an old first attempt, never retried in time: a new first attempt
            }
            if (e == null) {
                triplets.put(key, new Entry(now, now, false));
                return new Decision(Verdict.GREYLISTED, config.delay());
            }
            e.last = now;
            if (e.passed) {
                return new Decision(Verdict.KNOWN, Duration.ZERO);
            }
            long waited = now - e.first;
            if (waited < config.delay().toSeconds()) {
                return new Decision(Verdict.GREYLISTED, config.delay().minusSeconds(waited));
            }
            e.passed = true;
            clients.computeIfAbsent(network, n -> new Client(now, 0)).passed++;
            clients.get(network).last = now;
            return new Decision(Verdict.PASSED, Duration.ZERO);
        } finally {
            lock.unlock();
        }
    }

    /** A passed triplet unseen for {@code maxAge}, or a first attempt older than the retry window. */
    private boolean expired(Entry e, long now) {
        return e.passed ? now - e.last > config.maxAge().toSeconds() : now - e.first > config.retryWindow().toSeconds();
    }

    /**
     * The sender as postgrey compares it: lower case, a BATV tag ({@code prvs=TAG=user}) removed and digits in
     * the local part folded, so that bounce and list addresses that change with every message still match.
     */
    static String normalSender(String sender) {
        if (sender == null || sender.isEmpty()) {
            return "<>";
        }
        String s = sender.toLowerCase(Locale.ROOT);
        int at = s.lastIndexOf('@');
        String local = at < 0 ? s : s.substring(0, at);
        local = DIGITS.matcher(BATV.matcher(local).replaceFirst("")).replaceAll("#");
        return at < 0 ? local : local + s.substring(at);
    }

    /** Writes the state when it changed since the last save (temporary file, fsync, rename). */
    void save() throws IOException {
        saving.lock();
        try {
            List<Map.Entry<Triplet, Entry>> t;
            List<Map.Entry<String, Client>> c;
            lock.lock();
            try {
                if (!changed) {
                    return;
                }
                changed = false;
                long now = now();
                t = new ArrayList<>();
                triplets.forEach((k, e) -> {
                    if (!expired(e, now)) {
                        t.add(Map.entry(k, new Entry(e.first, e.last, e.passed)));
                    }
                });
                c = new ArrayList<>();
                clients.forEach((k, v) -> c.add(Map.entry(k, new Client(v.last, v.passed))));
            } finally {
                lock.unlock();
            }
            GreylistFile.save(file, t, c);
        } finally {
            saving.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return triplets.size();
        } finally {
            lock.unlock();
        }
    }

    private long now() {
        return clock.millis() / 1000;
    }
}
