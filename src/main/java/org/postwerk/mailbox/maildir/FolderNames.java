package org.postwerk.mailbox.maildir;

import java.nio.file.Path;
import org.postwerk.mailbox.MailAccess;
import org.postwerk.mailbox.ModifiedUtf7;

/**
 * Folder names and their Maildir++ directories, as Dovecot lays them out: INBOX is the Maildir itself; any
 * other folder {@code a/b} is the directory {@code .a.b} beside {@code cur/}, its name in modified UTF-7.
 * A '.' inside a level would read as a hierarchy separator there, so such names are refused, as are empty
 * levels, control characters and over-long names.
 */
public final class FolderNames {
    static final int MAX_NAME = 200;
    static final int MAX_DEPTH = 16;

    private FolderNames() {}

    /** The canonical name ({@code INBOX} in any case becomes {@code INBOX}), or null when not acceptable. */
    public static String canonical(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            return null;
        }
        String[] levels = name.split(String.valueOf(MailAccess.SEPARATOR), -1);
        if (levels.length > MAX_DEPTH) {
            return null;
        }
        for (String level : levels) {
            if (level.isEmpty() || level.indexOf('.') >= 0 || level.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                    || level.indexOf('*') >= 0 || level.indexOf('%') >= 0) {
                return null;
            }
        }
        if (levels[0].equalsIgnoreCase(MailAccess.INBOX)) {
            levels[0] = MailAccess.INBOX;
        }
        return String.join(String.valueOf(MailAccess.SEPARATOR), levels);
    }

    /** The directory of a canonical folder name inside a Maildir. */
    public static Path directory(Path maildir, String canonical) {
        if (canonical.equals(MailAccess.INBOX)) {
            return maildir;
        }
        return maildir.resolve("." + ModifiedUtf7.encode(canonical).replace(MailAccess.SEPARATOR, '.'));
    }

    /** The folder name of a Maildir++ directory name ({@code .a.b}), or null when it is not one of ours. */
    public static String ofDirectory(String dirName) {
        if (dirName.length() < 2 || dirName.charAt(0) != '.' || dirName.equals("..")) {
            return null;
        }
        String decoded = ModifiedUtf7.decode(dirName.substring(1).replace('.', MailAccess.SEPARATOR)).orElse(null);
        return decoded == null ? null : canonical(decoded);
    }
}
