package org.postwerk.store;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How an account address and a folder name become directory names under the store root:
 * {@code ROOT/<domain>/<local part>/Maildir/.<folder>}. Each mapping is injective, so two different accounts
 * never share a directory, and no name can leave its parent or hide ({@code docs/accounts.md} gives the rules
 * and the reasons).
 * <ul>
 *   <li><b>Domain</b>: its lower-case A-label (RFC 5890), so {@code bücher.example} and
 *       {@code XN--BCHER-KVA.example} are one directory. What is not a valid domain name becomes {@code %} and
 *       its escaped text: no A-label starts with {@code %}.</li>
 *   <li><b>Local part</b>: {@code a-z 0-9 _ + -} and inner dots stay; every other octet of its UTF-8 form
 *       (upper-case letters, {@code / \ %}, controls, non-ASCII), a leading {@code .} or {@code -} and a
 *       trailing {@code .} become {@code %XX} (upper-case hex). Each input character maps to a fixed string and
 *       no kept character is {@code %}, so the name decodes in one way only: the mapping is injective, also on
 *       a file system that ignores case (kept letters are lower case, hex digits upper case) or Unicode
 *       normalisation (the result is ASCII).</li>
 *   <li><b>Folder</b> (Maildir++): {@code .} and the name escaped as a local part, except that upper-case
 *       letters stay ({@code .Junk}, as Dovecot names it).</li>
 * </ul>
 * Account addresses reach this class already normalised ({@code account} keys are lower case); it does not
 * normalise them again, so different keys always get different directories.
 */
public final class MailboxNames {
    /** The name of the marker file that says a store's folders are named by this class (see LegacyFolders). */
    static final String MARKER = ".folder-names";
    private static final Pattern LDH = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private MailboxNames() {}

    /** The directory of an account under the store root: {@code root/domain/local}. */
    static Path account(Path root, String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            throw new IllegalArgumentException("not an account address: " + address);
        }
        return root.resolve(domain(address.substring(at + 1))).resolve(localPart(address.substring(0, at)));
    }

    /** The lower-case A-label of a domain, or {@code %} and its escaped text when it is not a domain name. */
    static String domain(String domain) {
        try {
            String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
            if (ascii.length() <= 253 && LDH.matcher(ascii).matches()) {
                return ascii;
            }
        } catch (IllegalArgumentException notIdna) {
            // falls through: escaped below
        }
        return "%" + escape(domain.toLowerCase(Locale.ROOT), false);
    }

    static String localPart(String local) {
        if (local.isEmpty()) {
            throw new IllegalArgumentException("empty local part");
        }
        return escape(local, false);
    }

    /** A Maildir++ folder directory: {@code .} and the escaped name ({@code Junk} gives {@code .Junk}). */
    static String folder(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty folder name");
        }
        return "." + escape(name, true);
    }

    private static String escape(String name, boolean keepUpper) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(utf8.length + 8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            boolean first = i == 0;
            boolean last = i == utf8.length - 1;
            if (kept(b, keepUpper) && !(b == '.' && (first || last)) && !(b == '-' && first)) {
                out.append((char) b);
            } else {
                out.append('%').append(HEX[b >> 4]).append(HEX[b & 0xf]);
            }
        }
        return out.toString();
    }

    private static boolean kept(int b, boolean keepUpper) {
        return (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '_' || b == '+' || b == '-' || b == '.'
                || (keepUpper && b >= 'A' && b <= 'Z');
    }
}
