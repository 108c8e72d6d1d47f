package org.postwerk.imap;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.postwerk.mailbox.ModifiedUtf7;

/**
 * A mailbox name as the user sees it: Unicode, levels separated by {@code /}, {@code INBOX} in upper case.
 * Built from the wire form with {@link #parse}, which decodes modified UTF-7 for IMAP4rev1 clients (RFC 3501
 * §5.1.3) or takes UTF-8 as is for IMAP4rev2 and UTF8=ACCEPT clients (RFC 9051 §5.1, RFC 6855 §3), and checks
 * that the name is acceptable. Knows nothing about how a store lays names out on disk.
 */
public record MailboxName(String name) {
    public static final char DELIMITER = '/';
    public static final String INBOX_NAME = "INBOX";
    public static final MailboxName INBOX = new MailboxName(INBOX_NAME);

    /** @param maxOctets longest name in UTF-8 octets; @param maxLevels deepest hierarchy */
    public record Limits(int maxOctets, int maxLevels) {
        public static final Limits DEFAULT = new Limits(1024, 32);
    }

    /** The outcome of {@link #parse}. */
    public sealed interface Parsed {}

    public record Valid(MailboxName name) implements Parsed {}

    /** Not acceptable; {@code reason} is for the log, the client gets a generic NO. */
    public record Invalid(String reason) implements Parsed {}

    public MailboxName {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty mailbox name");
        }
    }

    /**
     * Decodes and checks a name from a command. {@code utf8}: the client speaks IMAP4rev2 or enabled
     * UTF8=ACCEPT, so names are UTF-8 and {@code &} is an ordinary character. One trailing delimiter is
     * dropped (RFC 9051 §6.3.4: {@code CREATE foo/} declares that {@code foo} will hold children).
     */
    public static Parsed parse(String wire, boolean utf8, Limits limits) {
        String name;
        if (utf8) {
            name = wire;
        } else {
            Optional<String> decoded = ModifiedUtf7.decode(wire);
            if (decoded.isEmpty()) {
                return new Invalid("invalid modified UTF-7");
            }
            name = decoded.get();
        }
        if (name.length() > 1 && name.charAt(name.length() - 1) == DELIMITER) {
            name = name.substring(0, name.length() - 1);
        }
        String problem = problem(name, limits);
        return problem == null ? new Valid(new MailboxName(normaliseInbox(name))) : new Invalid(problem);
    }

    public static Parsed parse(String wire, boolean utf8) {
        return parse(wire, utf8, Limits.DEFAULT);
    }

    /** Why {@code name} is not acceptable, or null when it is. */
    private static String problem(String name, Limits limits) {
        if (name.isEmpty()) {
            return "empty name";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > limits.maxOctets()) {
            return "name too long";
        }
        int levels = 1;
        char previous = DELIMITER; // a leading delimiter is an empty first level
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == DELIMITER) {
                if (previous == DELIMITER) {
                    return "empty level";
                }
                levels++;
            } else if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                // RFC 9051 §5.1: names follow Net-Unicode (RFC 5198 §2), which excludes control characters.
                return "control character";
            } else if (c == '%' || c == '*') {
                return "wildcard character"; // such a name could never be matched by a LIST pattern alone
            } else if (Character.isSurrogate(c) && !validSurrogate(name, i)) {
                return "invalid UTF-16";
            }
            previous = c;
        }
        if (previous == DELIMITER) {
            return "empty level";
        }
        return levels > limits.maxLevels() ? "too deep" : null;
    }

    private static boolean validSurrogate(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** RFC 9051 §5.1: INBOX is case-insensitive; so is the INBOX level above its children, as in Dovecot. */
    private static String normaliseInbox(String name) {
        int end = name.indexOf(DELIMITER);
        String first = end < 0 ? name : name.substring(0, end);
        return first.equalsIgnoreCase(INBOX_NAME) ? INBOX_NAME + name.substring(first.length()) : name;
    }

    public boolean isInbox() {
        return name.equals(INBOX_NAME);
    }

    public List<String> levels() {
        return List.of(name.split(String.valueOf(DELIMITER)));
    }

    public Optional<MailboxName> parent() {
        int i = name.lastIndexOf(DELIMITER);
        return i < 0 ? Optional.empty() : Optional.of(new MailboxName(name.substring(0, i)));
    }

    /** The wire form: UTF-8 as is, or modified UTF-7 for IMAP4rev1 clients. */
    public String toWire(boolean utf8) {
        return utf8 ? name : ModifiedUtf7.encode(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
