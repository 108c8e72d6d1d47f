package org.postwerk.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what a crash left in the {@code tmp/} folders of the Maildirs and their subfolders: a message being
 * written when the server stopped, never acknowledged. The Maildir rule (maildir(5), as Dovecot applies it):
 * a file in {@code tmp/} not accessed for 36 hours is a leftover; younger ones may still be written by
 * another program delivering into the same Maildir. Never descends into {@code new/} or {@code cur/}.
 */
final class MaildirSweep {
    private static final Logger LOG = LoggerFactory.getLogger(Maildir.class);
    static final Duration STALE = Duration.ofHours(36);

    private MaildirSweep() {}

    /** Returns how many files were removed under {@code root}. */
    static int sweep(Path root, Instant now) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        FileTime before = FileTime.from(now.minus(STALE));
        int[] removed = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = dir.getFileName().toString();
                if (!isMaildirPart(dir, name)) {
                    return FileVisitResult.CONTINUE;
                }
                if (name.equals("tmp")) {
                    removed[0] += clean(dir, before);
                }
                return FileVisitResult.SKIP_SUBTREE;
            }
        });
        if (removed[0] > 0) {
            LOG.info("removed {} files older than {} from Maildir tmp/ folders", removed[0], STALE);
        }
        return removed[0];
    }

    /** tmp, new or cur of a Maildir ({@code .../Maildir}) or of a Maildir++ subfolder ({@code .../Maildir/.Junk}). */
    private static boolean isMaildirPart(Path dir, String name) {
        if (!name.equals("tmp") && !name.equals("new") && !name.equals("cur")) {
            return false;
        }
        Path maildir = dir.getParent();
        String m = maildir.getFileName().toString();
        Path parent = maildir.getParent();
        return m.equals("Maildir")
                || m.startsWith(".") && parent != null && parent.getFileName().toString().equals("Maildir");
    }

    private static int clean(Path tmp, FileTime before) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(tmp)) {
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                FileTime touched = a.lastAccessTime().compareTo(a.lastModifiedTime()) > 0 ? a.lastAccessTime()
                        : a.lastModifiedTime();
                if (a.isRegularFile() && touched.compareTo(before) < 0 && Files.deleteIfExists(f)) {
                    removed++;
                }
            }
        }
        return removed;
    }
}
