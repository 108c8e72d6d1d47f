package org.postwerk.screen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.postwerk.io.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The greylist's file in the data folder, one line per entry, oldest seen first (so reading it back keeps the
 * eviction order), times in epoch seconds:
 * <pre>
 * postwerk-greylist 1
 * c NETWORK LAST PASSED
 * t NETWORK FIRST LAST PASSED(0|1) SENDER RECIPIENT
 * </pre>
 * Addresses have spaces, controls and "%" percent-encoded. Written whole by {@link DurableFile} (temporary
 * file, fsync, rename), so a crash leaves the previous state or the new one.
 */
final class GreylistFile {
    private static final Logger LOG = LoggerFactory.getLogger(GreylistFile.class);
    private static final String HEADER = "postwerk-greylist 1";

    private GreylistFile() {}

    static void save(Path file, List<Map.Entry<Greylist.Triplet, Greylist.Entry>> triplets,
                     List<Map.Entry<String, Greylist.Client>> clients) throws IOException {
        StringBuilder s = new StringBuilder(64 + 96 * triplets.size()).append(HEADER).append('\n');
        for (Map.Entry<String, Greylist.Client> c : clients) {
            s.append("c ").append(c.getKey()).append(' ').append(c.getValue().last).append(' ')
                    .append(c.getValue().passed).append('\n');
        }
        for (Map.Entry<Greylist.Triplet, Greylist.Entry> t : triplets) {
            Greylist.Entry e = t.getValue();
            s.append("t ").append(t.getKey().network()).append(' ').append(e.first).append(' ').append(e.last)
                    .append(e.passed ? " 1 " : " 0 ").append(encode(t.getKey().sender())).append(' ')
                    .append(encode(t.getKey().recipient())).append('\n');
        }
        DurableFile.write(file, s.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Fills the tables from {@code file}; none is an empty greylist; a broken file is set aside and logged. */
    static void load(Path file, Map<Greylist.Triplet, Greylist.Entry> triplets, Map<String, Greylist.Client> clients)
            throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return;
        }
        try {
            if (lines.isEmpty() || !lines.getFirst().equals(HEADER)) {
                throw new IllegalArgumentException("no \"" + HEADER + "\" header");
            }
            for (String line : lines.subList(1, lines.size())) {
                read(line, triplets, clients);
            }
        } catch (RuntimeException e) {
            triplets.clear();
            clients.clear();
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            Files.move(file, aside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("event=greylist-unreadable file={} moved-to={} reason=\"{}\"", file, aside, e.getMessage());
        }
    }

    private static void read(String line, Map<Greylist.Triplet, Greylist.Entry> triplets,
                             Map<String, Greylist.Client> clients) {
        String[] f = line.split(" ");
        if (f[0].equals("c") && f.length == 4) {
            clients.put(f[1], new Greylist.Client(Long.parseLong(f[2]), Integer.parseInt(f[3])));
        } else if (f[0].equals("t") && f.length == 7) {
            triplets.put(new Greylist.Triplet(f[1], decode(f[5]), decode(f[6])),
                    new Greylist.Entry(Long.parseLong(f[2]), Long.parseLong(f[3]), f[4].equals("1")));
        } else if (!line.isEmpty()) {
            throw new IllegalArgumentException("bad line \"" + line + "\"");
        }
    }

    static String encode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == '%' || c == 0x7f) {
                out.append('%').append(String.format("%02X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String decode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
