package org.postwerk.auth.spf;

/** The domain-name checks of RFC 7208 §4.3 and §7.3. */
final class DomainNames {
    private DomainNames() {}

    /** RFC 1035 §2.3.4: 253 characters in text form without the trailing dot. */
    static final int MAX_LENGTH = 253;

    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /**
     * §4.3: a usable domain has two or more labels of 1–63 characters, at most 253 characters, and is not an
     * address literal or a bare number (its top label is not all digits).
     */
    static boolean isValid(String name) {
        String n = withoutTrailingDot(name);
        if (n.isEmpty() || n.length() > MAX_LENGTH || n.startsWith("[")) {
            return false;
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) {
            return false;
        }
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                return false;
            }
        }
        return !labels[labels.length - 1].chars().allMatch(Character::isDigit);
    }

    /** §7.3: an expanded name longer than 253 characters loses labels on the left until it fits. */
    static String truncate(String name) {
        String n = withoutTrailingDot(name);
        while (n.length() > MAX_LENGTH && n.indexOf('.') >= 0) {
            n = n.substring(n.indexOf('.') + 1);
        }
        return n;
    }
}
