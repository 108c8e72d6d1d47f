package org.postwerk.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.postwerk.config.DomainSyntax;
import org.postwerk.smtp.Mailbox;

/**
 * Addresses as the account files hold them. Local parts are compared case-insensitively in our own domains
 * (RFC 5321 §2.4 leaves local-part case to the receiving host, and {@code Alice@} and {@code alice@} being
 * different people only ever causes lost mail), and a domain under its lower-case A-label
 * ({@link DomainSyntax#canonical}), so a U-label and an A-label spelling are one domain. Every key is
 * {@code lower-case-local@a-label}.
 */
final class Addresses {
    /** Characters that would break the line formats, plus quoting we do not support in the files. */
    private static final Pattern LOCAL = Pattern.compile("[^\\s@,:#\"\\\\]+");
    private static final Pattern DOMAIN = Pattern.compile("[^\\s@,:#\"\\\\\\[\\]]+(\\.[^\\s@,:#\"\\\\\\[\\].]+)*");
    /**
     * A new account's local part: an RFC 5321 Dot-string of RFC 5322 atext (with RFC 6531 UTF-8), without
     * {@code /} (a path separator wherever a mail tool builds a path from a user name; Dovecot refuses it in
     * user names) and {@code #} (it starts a comment line in the account files).
     */
    private static final Pattern ACCOUNT_ATOM = Pattern.compile("[A-Za-z0-9!$%&'*+=?^_`{|}~\\-\\u00a0-\\x{10ffff}]+");
    /** RFC 5321 §4.5.3.1.1. */
    private static final int MAX_LOCAL_OCTETS = 64;

    private Addresses() {}

    /** The key of an address ({@code local@domain}) or catch-all ({@code @domain}). */
    static String key(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address.toLowerCase(Locale.ROOT);
        }
        return address.substring(0, at).toLowerCase(Locale.ROOT) + "@" + domain(address.substring(at + 1));
    }

    static String key(Mailbox m) {
        return key(m.local() + "@" + m.domain());
    }

    /** The key of a domain. */
    static String domain(String domain) {
        return DomainSyntax.canonical(domain);
    }

    static String domainOf(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
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

    /** Why a local part cannot be a new account's, or empty when it can. */
    static Optional<String> accountLocalProblem(String local) {
        if (local.getBytes(StandardCharsets.UTF_8).length > MAX_LOCAL_OCTETS) {
            return Optional.of("a local part has at most " + MAX_LOCAL_OCTETS + " octets");
        }
        for (String atom : local.split("\\.", -1)) {
            if (!ACCOUNT_ATOM.matcher(atom).matches()) {
                return Optional.of("an account's local part is letters, digits and ! $ % & ' * + - = ? ^ _ ` { | } ~,"
                        + " with single dots between them (no / or #, no dot first or last)");
            }
        }
        return Optional.empty();
    }
}
