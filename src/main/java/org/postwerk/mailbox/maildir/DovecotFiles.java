package org.postwerk.mailbox.maildir;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.postwerk.mailbox.Snapshot;

/**
 * Dovecot's own Maildir files, kept so that Dovecot and Postwerk can take over each other's Maildirs without
 * clients seeing new UIDs (ADR 0012): {@code dovecot-uidlist} (version 3: a header
 * {@code 3 V<uidvalidity> N<next uid> G<guid>}, then one {@code <uid> [fields] :<file name without info>} line
 * per message) and {@code dovecot-keywords} ({@code <index> <keyword>} lines; index {@code n} is the info
 * letter {@code 'a' + n}). Read when a folder has no index of ours yet; written with our index.
 */
public final class DovecotFiles {
    public static final String UIDLIST = "dovecot-uidlist";
    public static final String KEYWORDS = "dovecot-keywords";
    /** Keywords that have a Maildir info letter. */
    public static final int LETTERS = 26;

    private DovecotFiles() {}

    /** What a uidlist says; {@code names} maps each UID to its file name without the info part. */
    public record UidList(long uidValidity, long nextUid, List<Long> uids, List<String> names) {}

    /** The folder's uidlist, or null when there is none or it is not version 3. */
    public static UidList readUidList(Path folder) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(folder.resolve(UIDLIST), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("3 ")) {
            return null;
        }
        long validity = -1;
        long next = -1;
        for (String f : lines.get(0).substring(2).split(" ")) {
            if (f.startsWith("V")) {
                validity = parse(f.substring(1));
            } else if (f.startsWith("N")) {
                next = parse(f.substring(1));
            }
        }
        if (validity <= 0 || next <= 0) {
            return null;
        }
        List<Long> uids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        long last = 0;
        for (String line : lines.subList(1, lines.size())) {
            int sp = line.indexOf(' ');
            int colon = line.indexOf(" :");
            if (sp <= 0 || colon < sp) {
                continue;
            }
            long uid = parse(line.substring(0, sp));
            if (uid <= last || uid >= next) {
                continue; // out of order or beyond N: not trustworthy, the file gets a new UID
            }
            last = uid;
            uids.add(uid);
            names.add(line.substring(colon + 2));
        }
        return new UidList(validity, next, uids, names);
    }

    /** The keyword table (index order), or an empty list. */
    public static List<String> readKeywords(Path folder) throws IOException {
        List<String> table = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(folder.resolve(KEYWORDS), StandardCharsets.UTF_8)) {
                int sp = line.indexOf(' ');
                if (sp <= 0) {
                    continue;
                }
                int index = (int) parse(line.substring(0, sp));
                if (index < 0 || index >= LETTERS) {
                    continue;
                }
                while (table.size() <= index) {
                    table.add(null);
                }
                table.set(index, line.substring(sp + 1));
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return table;
    }

    /** Writes both files for a snapshot (through a temporary name each; the caller makes them durable). */
    public static void write(org.postwerk.io.Disk disk, Path folder, Snapshot s, byte[] guid) throws IOException {
        Path tmp = folder.resolve(UIDLIST + ".postwerk-tmp");
        Files.deleteIfExists(tmp);
        try (Writer w = new BufferedWriter(java.nio.channels.Channels.newWriter(disk.create(tmp), StandardCharsets.UTF_8),
                65536)) {
            w.write("3 V" + s.uidValidity() + " N" + s.uidNext() + " G" + HexFormat.of().formatHex(guid) + "\n");
            for (int i = 0; i < s.count(); i++) {
                w.write(s.uid(i) + " :" + s.locator(i) + "\n");
            }
        }
        Files.move(tmp, folder.resolve(UIDLIST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        if (!s.keywords().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(LETTERS, s.keywords().size()); i++) {
                sb.append(i).append(' ').append(s.keywords().get(i)).append('\n');
            }
            Path ktmp = folder.resolve(KEYWORDS + ".postwerk-tmp");
            Files.deleteIfExists(ktmp);
            try (var ch = disk.create(ktmp)) {
                ch.write(java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8)));
            }
            Files.move(ktmp, folder.resolve(KEYWORDS), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
