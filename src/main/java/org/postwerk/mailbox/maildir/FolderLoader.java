package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.postwerk.mailbox.ExpungeLog;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.NewMessage;
import org.postwerk.mailbox.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a folder's state: from its {@code postwerk.index} when there is one, otherwise built from the files,
 * keeping the UIDs, UIDVALIDITY and keywords a {@code dovecot-uidlist}/{@code dovecot-keywords} gives (a
 * Maildir taken over from Dovecot keeps its UIDs). {@link #differences} then says how the files differ from
 * the loaded state, for the folder to record as ordinary changes.
 */
final class FolderLoader {
    static final String INDEX = "postwerk.index";
    private static final Logger LOG = LoggerFactory.getLogger(FolderLoader.class);

    private FolderLoader() {}

    /** The index file's state, or null when there is none or it cannot be read (then {@link #build}). */
    static Snapshot readIndex(Path dir) {
        try (InputStream in = Files.newInputStream(dir.resolve(INDEX))) {
            return org.postwerk.mailbox.IndexFile.read(in);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("folder {}: index unreadable ({}), rebuilding it from the files", dir, e.getMessage());
            return null;
        }
    }

    /**
     * A state built from the files. UIDs from the Dovecot uidlist where it names a file; every other file gets
     * a new UID, in file name order (Maildir names start with the delivery time).
     *
     * @param uidValidity for a folder without a uidlist
     */
    static Snapshot build(Path dir, long uidValidity) throws IOException {
        FolderFiles files = new FolderFiles(dir);
        DovecotFiles.UidList list = DovecotFiles.readUidList(dir);
        List<String> table = new ArrayList<>(DovecotFiles.readKeywords(dir));
        table.removeIf(java.util.Objects::isNull);
        Map<String, Long> known = new HashMap<>();
        if (list != null) {
            for (int i = 0; i < list.uids().size(); i++) {
                known.put(list.names().get(i), list.uids().get(i));
            }
        }
        TreeMap<Long, NewMessage> byUid = new TreeMap<>();
        List<NewMessage> unknown = new ArrayList<>();
        for (Path file : list(files)) {
            NewMessage m = FileInfo.message(file, DovecotFiles.readKeywords(dir));
            Long uid = known.remove(m.locator());
            if (uid != null) {
                byUid.put(uid, m);
            } else {
                unknown.add(m);
            }
        }
        unknown.sort(FileInfo.DELIVERY_ORDER);
        long next = Math.max(list == null ? 1 : list.nextUid(), byUid.isEmpty() ? 1 : byUid.lastKey() + 1);
        for (NewMessage m : unknown) {
            byUid.put(next++, m);
        }
        List<String> keywords = new ArrayList<>();
        List<Snapshot.Stored> stored = new ArrayList<>();
        for (Map.Entry<Long, NewMessage> e : byUid.entrySet()) {
            NewMessage m = e.getValue();
            for (String k : m.flags().keywords()) {
                if (keywords.stream().noneMatch(k::equalsIgnoreCase) && keywords.size() < Snapshot.MAX_KEYWORDS) {
                    keywords.add(k);
                }
            }
            stored.add(new Snapshot.Stored(e.getKey(), 1, m.flags().systemBits(), bits(keywords, m.flags()),
                    m.internalDate(), m.size(), m.locator()));
        }
        return Snapshot.of(list == null ? uidValidity : list.uidValidity(), next, 1, keywords, stored, ExpungeLog.EMPTY);
    }

    /** How the files differ from a loaded state: messages whose file is gone, files it does not know, flags. */
    record Differences(List<Long> missing, List<NewMessage> unknown, Map<Long, Flags> flags, List<Path> inNew) {
        boolean isEmpty() {
            return missing.isEmpty() && unknown.isEmpty() && flags.isEmpty() && inNew.isEmpty();
        }
    }

    /**
     * Compares the files with a state: a message without a file anywhere was removed by another program; a
     * file the state does not know was delivered or restored by one; a file in {@code cur/} whose flags
     * differ from the state's was changed by one (a mail reader on the Maildir), and its flags win, as in
     * Dovecot; a known file still in {@code new/} lost its move to {@code cur/}.
     */
    static Differences differences(Path dir, Snapshot s) throws IOException {
        FolderFiles files = new FolderFiles(dir);
        Map<String, Path> onDisk = new HashMap<>();
        for (Path p : list(files)) {
            onDisk.putIfAbsent(FileInfo.locator(p.getFileName().toString()), p);
        }
        List<Long> missing = new ArrayList<>();
        Map<Long, Flags> flags = new TreeMap<>();
        List<Path> inNew = new ArrayList<>();
        for (int i = 0; i < s.count(); i++) {
            Path p = onDisk.remove(s.locator(i));
            if (p == null && files.search(s.locator(i)) == null) {
                missing.add(s.uid(i));
            } else if (p != null && p.getParent().equals(files.fresh)) {
                inNew.add(p);
            } else if (p != null) {
                Flags onFile = FileInfo.flags(p.getFileName().toString(), s.keywords());
                Flags indexed = s.flags(i);
                // Keywords beyond the 26 letters live only in the index: compare what a name can hold.
                if (!onFile.system().equals(indexed.system()) || !lettered(onFile, s).equals(lettered(indexed, s))) {
                    flags.put(s.uid(i), new Flags(onFile.system(), merge(onFile, indexed, s)));
                }
            }
        }
        List<NewMessage> unknown = new ArrayList<>();
        for (Path p : onDisk.values()) {
            unknown.add(FileInfo.message(p, s.keywords()));
        }
        unknown.sort(FileInfo.DELIVERY_ORDER);
        return new Differences(missing, unknown, flags, inNew);
    }

    private static java.util.Set<String> lettered(Flags f, Snapshot s) {
        java.util.Set<String> out = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < Math.min(DovecotFiles.LETTERS, s.keywords().size()); i++) {
            if (f.hasKeyword(s.keywords().get(i))) {
                out.add(s.keywords().get(i));
            }
        }
        return out;
    }

    private static java.util.Set<String> merge(Flags onFile, Flags indexed, Snapshot s) {
        java.util.Set<String> out = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        out.addAll(onFile.keywords());
        for (String k : indexed.keywords()) {
            int i = s.keywordIndex(k);
            if (i >= DovecotFiles.LETTERS) {
                out.add(k);
            }
        }
        return out;
    }

    /** Every message file in {@code cur/} and {@code new/} (hidden files skipped). */
    static List<Path> list(FolderFiles files) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path d : List.of(files.cur, files.fresh)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                for (Path p : s) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        out.add(p);
                    }
                }
            } catch (NoSuchFileException e) {
                // a folder without new/ or cur/ yet
            }
        }
        return out;
    }

    private static long bits(List<String> table, Flags flags) {
        long b = 0;
        for (String k : flags.keywords()) {
            for (int i = 0; i < table.size(); i++) {
                if (table.get(i).equalsIgnoreCase(k)) {
                    b |= 1L << i;
                }
            }
        }
        return b;
    }
}
