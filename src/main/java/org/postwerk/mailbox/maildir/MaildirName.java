package org.postwerk.mailbox.maildir;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.postwerk.mailbox.Flag;

/**
 * A Maildir file name: {@code BASE[,S=size][,W=vsize][:2,INFO]} (cr.yp.to/proto/maildir.html, with Dovecot's
 * size fields). {@code S=} is the file's size, {@code W=} the size of its CRLF form (RFC822.SIZE), so neither
 * needs the file read. INFO holds the system flags as capital letters in ASCII order and keywords as the
 * letters {@code a}-{@code z} that {@code dovecot-keywords} maps to names.
 *
 * @param base the unique part, without sizes and info: the message's locator
 */
public record MaildirName(String base, long size, long vsize, Set<Flag> flags, String keywordLetters) {
    /** Parses a file name; sizes are -1 when absent. */
    public static MaildirName parse(String name) {
        String info = "";
        int colon = name.indexOf(":2,");
        String head = name;
        if (colon >= 0) {
            info = name.substring(colon + 3);
            head = name.substring(0, colon);
        }
        long s = -1;
        long w = -1;
        int comma = head.indexOf(',');
        String base = comma < 0 ? head : head.substring(0, comma);
        if (comma >= 0) {
            for (String field : head.substring(comma + 1).split(",")) {
                if (field.startsWith("S=")) {
                    s = number(field.substring(2));
                } else if (field.startsWith("W=")) {
                    w = number(field.substring(2));
                }
            }
        }
        EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
        StringBuilder letters = new StringBuilder();
        for (char c : info.toCharArray()) {
            Flag f = Flag.ofMaildir(c);
            if (f != null) {
                flags.add(f);
            } else if (c >= 'a' && c <= 'z' && letters.indexOf(String.valueOf(c)) < 0) {
                letters.append(c);
            }
        }
        return new MaildirName(base, s, w, flags, letters.toString());
    }

    private static long number(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The name in {@code new/}: base and sizes, no info. */
    public String inNew() {
        return base + sizes();
    }

    /** The name in {@code cur/}: base, sizes and info (flags sorted as the Maildir spec asks). */
    public String inCur() {
        StringBuilder sb = new StringBuilder(base).append(sizes()).append(":2,");
        List<Character> letters = new ArrayList<>();
        for (Flag f : flags) {
            letters.add(f.maildir());
        }
        for (char c : keywordLetters.toCharArray()) {
            letters.add(c);
        }
        letters.stream().sorted().forEach(sb::append);
        return sb.toString();
    }

    public MaildirName withFlags(Set<Flag> flags, String keywordLetters) {
        return new MaildirName(base, size, vsize, flags, keywordLetters);
    }

    private String sizes() {
        return (size >= 0 ? ",S=" + size : "") + (vsize >= 0 ? ",W=" + vsize : "");
    }
}
