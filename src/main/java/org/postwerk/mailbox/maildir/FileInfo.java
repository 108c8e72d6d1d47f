package org.postwerk.mailbox.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.postwerk.mailbox.Flag;
import org.postwerk.mailbox.Flags;
import org.postwerk.mailbox.NewMessage;

/** What a message file's name and attributes say: locator, flags, INTERNALDATE and RFC822.SIZE. */
final class FileInfo {
    private static final java.util.regex.Pattern OURS =
            java.util.regex.Pattern.compile("(\\d{1,18})\\.M(\\d{1,9})P(\\d{1,18})Q(\\d{1,18})\\..*");

    private FileInfo() {}

    /**
     * The order new files get their UIDs in: delivery order. First by arrival time (the file's mtime); within one
     * millisecond our names ({@code secs.MmicrosPpidQseq.host}) by their time and then their sequence (numbers, not
     * text: Q10 would come before Q9 as text), before other programs' files by name. A lexicographic, so total and
     * transitive, order, as sorting needs; it is the delivery order as long as the name's microseconds are the wall
     * clock's own (see {@link org.postwerk.store.Maildir#uniqueName}).
     */
    static final java.util.Comparator<NewMessage> DELIVERY_ORDER = (a, b) -> {
        int c = Long.compare(a.internalDate(), b.internalDate());
        if (c != 0) {
            return c;
        }
        java.util.regex.Matcher x = OURS.matcher(a.locator());
        java.util.regex.Matcher y = OURS.matcher(b.locator());
        if (x.matches() != y.matches()) {
            return x.matches() ? -1 : 1;
        }
        if (x.matches()) {
            for (int g : new int[] {1, 2, 4}) {
                c = Long.compare(Long.parseLong(x.group(g)), Long.parseLong(y.group(g)));
                if (c != 0) {
                    return c;
                }
            }
        }
        return a.locator().compareTo(b.locator());
    };

    /** The locator of a file name: the name without its info part. */
    static String locator(String fileName) {
        int colon = fileName.indexOf(":2,");
        return colon < 0 ? fileName : fileName.substring(0, colon);
    }

    /** Flags from a file name's info letters; keyword letters through the folder's Dovecot keyword table. */
    static Flags flags(String fileName, List<String> keywordTable) {
        MaildirName n = MaildirName.parse(fileName);
        Set<String> keywords = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (char c : n.keywordLetters().toCharArray()) {
            int i = c - 'a';
            if (i < keywordTable.size() && keywordTable.get(i) != null) {
                keywords.add(keywordTable.get(i));
            }
        }
        return new Flags(n.flags().isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(n.flags()), keywords);
    }

    /** A file as a new message of the folder: sizes from its name when there, otherwise by reading it. */
    static NewMessage message(Path file, List<String> keywordTable) throws IOException {
        String name = file.getFileName().toString();
        MaildirName n = MaildirName.parse(name);
        long vsize = n.vsize() >= 0 ? n.vsize() : crlfSize(file);
        return new NewMessage(locator(name), flags(name, keywordTable),
                Files.getLastModifiedTime(file).toMillis(), vsize);
    }

    /** The size of a file's CRLF form: each LF not preceded by CR counts one more octet. */
    static long crlfSize(Path file) throws IOException {
        long size = 0;
        boolean lastCr = false;
        byte[] buf = new byte[65536];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n' && !lastCr) {
                        size++;
                    }
                    lastCr = buf[i] == '\r';
                }
                size += n;
            }
        }
        return size;
    }
}
