package org.postwerk.auth.dkim;

/** Domain-name checks for d=, s= and i= (RFC 6376 §3.5: domain-name, selector = sub-domain *("." sub-domain)). */
final class DomainNames {
    private DomainNames() {}

    /** Labels of letters, digits and hyphens (and underscores, seen in selectors), dot-separated, non-empty. */
    static boolean valid(String name) {
        return name.length() <= 253 && name.matches("(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
                + "(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*");
    }

    /** True if {@code name} is {@code domain} or a subdomain of it (both lower case). */
    static boolean within(String name, String domain) {
        return name.equals(domain) || name.endsWith("." + domain);
    }
}
