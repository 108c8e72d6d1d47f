package org.postwerk.smtp;

/**
 * Parses RFC 5321 paths ({@code <local@domain>}, {@code <>}, source routes) and mailboxes, with the RFC 6531
 * extensions when SMTPUTF8 is in effect. Pure and bounded: it reads only the text it is given.
 */
public final class AddressParser {
    private AddressParser() {}

    /** RFC 5321 §4.1.2 atext (RFC 5322 §3.2.3). */
    static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** True when the local part is not a Dot-string and must be written as a Quoted-string. */
    public static boolean needsQuoting(String local) {
        if (local.isEmpty() || local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            return true;
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && c < 0x80 && !isAtext(c)) {
                return true;
            }
        }
        return false;
    }

    /** The local part as a Quoted-string, escaping {@code "} and {@code \}. */
    public static String quote(String local) {
        StringBuilder sb = new StringBuilder(local.length() + 2).append('"');
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}
