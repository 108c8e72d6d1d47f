package org.postwerk.account;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postwerk.smtp.Mailbox;

/**
 * Addresses as the account files hold them. Local parts are compared case-insensitively in our own domains
 * (RFC 5321 §2.4 leaves local-part case to the receiving host, and {@code Alice@} and {@code alice@} being
 * different people only ever causes lost mail), so every key is the whole address in lower case.
 */
final class Addresses {
    /** Characters that would break the line formats, plus quoting we do not support in the files. */
    private static final Pattern LOCAL = Pattern.compile("[^\\s@,:#\"\\\\]+");
    private static final Pattern DOMAIN = Pattern.compile("[^\\s@,:#\"\\\\\\[\\]]+(\\.[^\\s@,:#\"\\\\\\[\\].]+)*");

    private Addresses() {}

    static String key(String address) {
        return address.toLowerCase(Locale.ROOT);
    }

    static String key(Mailbox m) {
        return key(m.local() + "@" + m.domain());
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    static String localOf(String address) {
        return address.substring(0, address.lastIndexOf('@'));
    }

    /** A usable {@code local@domain}, or empty. */
    static Optional<Mailbox> parse(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0) {
            return Optional.empty();
        }
        String local = address.substring(0, at);
        String domain = address.substring(at + 1);
        if (!LOCAL.matcher(local).matches() || !isDomain(domain)) {
            return Optional.empty();
        }
        return Optional.of(new Mailbox(local, domain));
    }

    static boolean isDomain(String domain) {
        return !domain.isEmpty() && domain.length() <= 255 && DOMAIN.matcher(domain).matches();
    }

    /** A catch-all key {@code @domain}. */
    static boolean isCatchAll(String address) {
        return address.startsWith("@") && isDomain(address.substring(1));
    }
}
