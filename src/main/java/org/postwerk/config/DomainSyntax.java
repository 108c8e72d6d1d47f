package org.postwerk.config;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * Host and domain names as RFC 5321 §4.1.2 {@code Domain} allows them: dot-separated labels of letters, digits
 * and inner hyphens (RFC 1123 §2.1), each 1-63 octets, 255 octets at most (RFC 5321 §4.5.3.1.2). Unicode names
 * are checked in their A-label form (RFC 5890), so {@code "bücher.example"} is accepted.
 */
public final class DomainSyntax {
    private DomainSyntax() {}

    /** Empty when {@code name} is a valid domain, else what is wrong with it. */
    public static Optional<String> problem(String name) {
        if (name.isEmpty()) {
            return Optional.of("must not be empty");
        }
        if (name.endsWith(".")) {
            return Optional.of("\"" + name + "\" must not end with a dot");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x80 && !Character.isLetterOrDigit(c) && c != '-' && c != '.') {
                return Optional.of("\"" + name + "\" is not a valid domain name: '" + c
                        + "' is not allowed (only letters, digits, '-' and '.')");
            }
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES);
        } catch (IllegalArgumentException e) {
            return Optional.of("\"" + name + "\" is not a valid domain name");
        }
        if (ascii.length() > 253) {
            return Optional.of("\"" + name + "\" is longer than 253 characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || !label.matches("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?")) {
                return Optional.of("\"" + name + "\" is not a valid domain name (label \"" + label + "\")");
            }
        }
        if (Addresses.literal(name).isPresent() || ascii.matches(".*\\.[0-9]+")) {
            return Optional.of("\"" + name + "\" is an address, not a domain name");
        }
        return Optional.empty();
    }

    /** The form we keep: lower case (domains compare case-insensitively, RFC 5321 §2.4). */
    static String normal(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The one spelling under which a domain is compared and stored: its A-label form in lower case (RFC 5890
     * §2.3.2.1), so {@code Bücher.example}, {@code bücher.example} and {@code xn--bcher-kva.example} are one
     * domain. IDNA2003 as {@link IDN} implements it (its mapping makes {@code faß.de} {@code fass.de}). A name
     * that is not IDNA at all comes back in lower case, so lookups of odd names still work and match nothing.
     */
    public static String canonical(String name) {
        try {
            return IDN.toASCII(name).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException notIdna) {
            return name.toLowerCase(Locale.ROOT);
        }
    }
}
