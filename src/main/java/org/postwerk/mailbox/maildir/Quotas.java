package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.postwerk.mailbox.MailAccess;

/**
 * Storage used by one user: the RFC822.SIZE of every message in every folder, read from the file names
 * ({@code W=}, else {@code S=}, else the file's size), as Dovecot's Maildir++ quota counts it.
 */
final class Quotas {
    private Quotas() {}

    static MailAccess.Quota usage(Path maildir, long limit) throws IOException {
        long bytes = 0;
        long messages = 0;
        List<Path> folders = new java.util.ArrayList<>(List.of(maildir));
        try (DirectoryStream<Path> s = Files.newDirectoryStream(maildir, ".*")) {
            for (Path p : s) {
                if (FolderNames.ofDirectory(p.getFileName().toString()) != null) {
                    folders.add(p);
                }
            }
        }
        for (Path folder : folders) {
            for (String sub : new String[] {"cur", "new"}) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(folder.resolve(sub))) {
                    for (Path p : s) {
                        MaildirName n = MaildirName.parse(p.getFileName().toString());
                        bytes += n.vsize() >= 0 ? n.vsize() : n.size() >= 0 ? n.size() : sizeOf(p);
                        messages++;
                    }
                } catch (NoSuchFileException e) {
                    // not there
                }
            }
        }
        return new MailAccess.Quota(bytes, limit, messages, -1);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0; // removed meanwhile
        }
    }
}
