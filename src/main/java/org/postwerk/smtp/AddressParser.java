package org.postwerk.smtp;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses RFC 5321 §4.1.2 paths ({@code <local@domain>}, {@code <>}, source routes) with the RFC 6531
 * extensions (UTF-8 in local parts and U-label domains; whether they are allowed is the session's call).
 * Pure and bounded. Source routes are accepted and ignored (RFC 5321 §4.1.1.3, Appendix C), so
 * {@code <@relay:user@victim>} is judged as {@code user@victim}. {@code %} and {@code !} in a local part are
 * just characters: they never route anywhere.
 */
public final class AddressParser {
    /** RFC 5321 §4.5.3.1: local part 64 octets, domain 255, path 256. */
    static final int MAX_LOCAL = 64;
    static final int MAX_DOMAIN = 255;
    static final int MAX_PATH = 256;

    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private AddressParser() {}

    /** A syntax problem; the message is safe to show the client. */
    public static final class SyntaxError extends Exception {
        public SyntaxError(String message) {
            super(message, null, false, false);
        }
    }

    /** A parsed path and where it ended in the input. Empty mailbox = null path {@code <>}. */
    public record Parsed(Optional<Mailbox> mailbox, int end) {}

    /** Parses a path starting at {@code pos}; {@code <>} only when {@code allowNull}. */
    public static Parsed parsePath(String s, int pos, boolean allowNull) throws SyntaxError {
        if (pos >= s.length() || s.charAt(pos) != '<') {
            throw new SyntaxError("Address must be enclosed in <>");
        }
        int close = findClose(s, pos + 1);
        String inner = s.substring(pos + 1, close);
        if (inner.isEmpty()) {
            if (!allowNull) {
                throw new SyntaxError("Empty address not allowed here");
            }
            return new Parsed(Optional.empty(), close + 1);
        }
        if (utf8Length(inner) + 2 > MAX_PATH) {
            throw new SyntaxError("Path too long");
        }
        if (inner.charAt(0) == '@') {
            inner = stripSourceRoute(inner);
        }
        return new Parsed(Optional.of(parseMailbox(inner)), close + 1);
    }

    /** Finds the closing '>' of a path, skipping quoted strings (a quoted local part may contain '>'). */
    private static int findClose(String s, int from) throws SyntaxError {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '>') {
                return i;
            }
        }
        throw new SyntaxError("Missing closing >");
    }

    /** A-d-l ":" — a list of {@code @domain} separated by commas, ignored after checking its syntax. */
    private static String stripSourceRoute(String inner) throws SyntaxError {
        int colon = inner.indexOf(':');
        if (colon < 0) {
            throw new SyntaxError("Bad source route");
        }
        for (String hop : inner.substring(0, colon).split(",", -1)) {
            if (hop.length() < 2 || hop.charAt(0) != '@') {
                throw new SyntaxError("Bad source route");
            }
            checkDomain(hop.substring(1));
        }
        return inner.substring(colon + 1);
    }

    /** Parses {@code local@domain} (no angle brackets). */
    public static Mailbox parseMailbox(String s) throws SyntaxError {
        String local;
        int at;
        if (s.startsWith("\"")) {
            int i = 1;
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw new SyntaxError("Unterminated quoted local part");
                }
                char c = s.charAt(i);
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (i + 1 >= s.length() || !isQuotedPairChar(s.charAt(i + 1))) {
                        throw new SyntaxError("Bad quoted pair");
                    }
                    sb.append(s.charAt(++i));
                } else if (isQtext(c)) {
                    sb.append(c);
                } else {
                    throw new SyntaxError("Bad character in quoted local part");
                }
                i++;
            }
            local = sb.toString();
            at = i + 1;
            if (at >= s.length() || s.charAt(at) != '@') {
                throw new SyntaxError("Missing @domain");
            }
        } else {
            at = s.lastIndexOf('@');
            if (at <= 0) {
                throw new SyntaxError(at == 0 ? "Empty local part" : "Missing @domain");
            }
            local = s.substring(0, at);
            checkDotString(local);
        }
        if (utf8Length(local) > MAX_LOCAL) {
            throw new SyntaxError("Local part longer than 64 octets");
        }
        String domain = s.substring(at + 1);
        checkDomainOrLiteral(domain);
        return new Mailbox(local, domain);
    }

    private static void checkDotString(String local) throws SyntaxError {
        if (local.startsWith(".") || local.endsWith(".") || local.contains("..")) {
            throw new SyntaxError("Bad dots in local part");
        }
        for (int i = 0; i < local.length(); i++) {
            char c = local.charAt(i);
            if (c != '.' && !isAtext(c) && c < 0x80) {
                throw new SyntaxError("Bad character in local part");
            }
        }
    }

    private static void checkDomainOrLiteral(String d) throws SyntaxError {
        if (d.startsWith("[")) {
            if (!d.endsWith("]")) {
                throw new SyntaxError("Bad address literal");
            }
            checkAddressLiteral(d.substring(1, d.length() - 1));
        } else {
            checkDomain(d);
        }
    }

    private static void checkAddressLiteral(String lit) throws SyntaxError {
        if (IPV4.matcher(lit).matches()) {
            return;
        }
        if (lit.regionMatches(true, 0, "IPv6:", 0, 5)) {
            String v6 = lit.substring(5);
            if (IPV6_CHARS.matcher(v6).matches() && v6.contains(":")) {
                try {
                    InetAddress.getByName(v6); // a literal containing ':' is parsed, never looked up
                    return;
                } catch (UnknownHostException e) {
                    // fall through
                }
            }
        }
        throw new SyntaxError("Bad address literal");
    }

    /** Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str], or a U-label (RFC 6531). */
    static void checkDomain(String d) throws SyntaxError {
        if (d.isEmpty() || utf8Length(d) > MAX_DOMAIN) {
            throw new SyntaxError("Bad domain");
        }
        for (String label : d.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw new SyntaxError("Bad domain");
            }
            boolean ascii = true;
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (c >= 0x80) {
                    ascii = false;
                } else if (!(Character.isLetterOrDigit(c) || c == '-')) {
                    throw new SyntaxError("Bad domain");
                }
            }
            if (!ascii) {
                try {
                    IDN.toASCII(label, IDN.USE_STD3_ASCII_RULES);
                } catch (IllegalArgumentException e) {
                    throw new SyntaxError("Bad internationalised domain");
                }
            }
        }
    }

    /** RFC 5321 §4.1.2 atext (RFC 5322 §3.2.3). */
    static boolean isAtext(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /** qtextSMTP = %d32-33 / %d35-91 / %d93-126, plus UTF8-non-ascii (RFC 6531). */
    private static boolean isQtext(char c) {
        return (c >= 32 && c <= 126 && c != '"' && c != '\\') || c >= 0x80;
    }

    private static boolean isQuotedPairChar(char c) {
        return c >= 32 && c <= 126;
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** True when the local part is not a Dot-string and must be written as a Quoted-string. */
    public static boolean needsQuoting(String local) {
        try {
            checkDotString(local);
            return local.isEmpty();
        } catch (SyntaxError e) {
            return true;
        }
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
