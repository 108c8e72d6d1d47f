package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.postwerk.mailbox.Change;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.Mirror;
import org.postwerk.mailbox.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of one Maildir folder and the {@link Mirror} that makes them follow its published changes:
 * an added message moves from {@code tmp/} or {@code new/} into {@code cur/} with its flags in the name, a
 * flag change renames it, an expunge removes it. None of this is fsync'd: the journal record already made
 * the change durable, a replay redoes what a crash lost, and a journal checkpoint syncs the filesystem.
 */
final class FolderFiles implements Mirror {
    private static final Logger LOG = LoggerFactory.getLogger(FolderFiles.class);

    final Path dir;
    final Path tmp;
    final Path fresh;
    final Path cur;

    FolderFiles(Path dir) {
        this.dir = dir;
        this.tmp = dir.resolve("tmp");
        this.fresh = dir.resolve("new");
        this.cur = dir.resolve("cur");
    }

    /** The file name in {@code cur/} of a message with these flags, keyword letters from the folder's table. */
    static String curName(String locator, Flags flags, List<String> keywordTable) {
        StringBuilder letters = new StringBuilder();
        for (Flag f : flags.system()) {
            letters.append(f.maildir());
        }
        for (int i = 0; i < Math.min(DovecotFiles.LETTERS, keywordTable.size()); i++) {
            if (flags.hasKeyword(keywordTable.get(i))) {
                letters.append((char) ('a' + i));
            }
        }
        char[] sorted = letters.toString().toCharArray();
        java.util.Arrays.sort(sorted); // the Maildir spec asks for info letters in ASCII order
        return locator + ":2," + new String(sorted);
    }

    /** The file of a message now: its expected name in {@code cur/}, else wherever a search finds it; or null. */
    Path find(String locator, Flags flags, List<String> keywordTable) throws IOException {
        Path expected = cur.resolve(curName(locator, flags, keywordTable));
        if (Files.exists(expected)) {
            return expected;
        }
        return search(locator);
    }

    /** Looks for a locator in {@code cur/} (any flags), then {@code new/}, then {@code tmp/}. */
    Path search(String locator) throws IOException {
        String prefix = locator + ":";
        try (DirectoryStream<Path> s = Files.newDirectoryStream(cur, locator + ":*")) {
            for (Path p : s) {
                if (p.getFileName().toString().startsWith(prefix)) {
                    return p;
                }
            }
        } catch (NoSuchFileException e) {
            // no cur/ yet
        }
        for (Path p : List.of(cur.resolve(locator), fresh.resolve(locator), tmp.resolve(locator))) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public void apply(Change change, Snapshot before) {
        try {
            switch (change) {
                case Change.Added a -> added(a, before);
                case Change.FlagsSet f -> flagsSet(f, before);
                case Change.Expunged e -> expunged(e, before);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("folder {}: files not updated for MODSEQ {} ({}); the index holds the change",
                    dir, change.modseq(), e.toString());
        }
    }

    private void added(Change.Added a, Snapshot before) throws IOException {
        List<String> table = tableAfter(before, a.messages().stream().map(Change.Entry::flags).toList());
        for (Change.Entry e : a.messages()) {
            Path target = cur.resolve(curName(e.locator(), e.flags(), table));
            Path source = Files.exists(tmp.resolve(e.locator())) ? tmp.resolve(e.locator()) : fresh.resolve(e.locator());
            try {
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (NoSuchFileException | FileAlreadyExistsException x) {
                if (search(e.locator()) == null) {
                    LOG.warn("folder {}: the file of UID {} ({}) is missing", dir, e.uid(), e.locator());
                }
            }
        }
    }

    private void flagsSet(Change.FlagsSet f, Snapshot before) throws IOException {
        List<String> table = tableAfter(before, f.updates().stream().map(Change.FlagUpdate::after).toList());
        for (Change.FlagUpdate u : f.updates()) {
            Path from = find(u.locator(), u.before(), before.keywords());
            Path to = cur.resolve(curName(u.locator(), u.after(), table));
            if (from != null && !from.equals(to)) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    private void expunged(Change.Expunged e, Snapshot before) throws IOException {
        for (int i = 0; i < e.uids().length; i++) {
            int index = before.indexOf(e.uids()[i]);
            Path file = index >= 0 ? find(e.locators().get(i), before.flags(index), before.keywords())
                    : search(e.locators().get(i));
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The keyword table after a change adds keywords: new ones are appended in order of appearance. */
    private static List<String> tableAfter(Snapshot before, List<Flags> flags) {
        List<String> table = new java.util.ArrayList<>(before.keywords());
        for (Flags f : flags) {
            for (String k : f.keywords()) {
                if (table.stream().noneMatch(k::equalsIgnoreCase)) {
                    table.add(k);
                }
            }
        }
        return table;
    }
}
