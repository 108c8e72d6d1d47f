package org.postwerk.account;

import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the configuration decides about accounts.
 *
 * @param domains local domains from the configuration (more may be added with {@code domain add})
 * @param postmaster where {@code postmaster@} and {@code abuse@} of every local domain go when no user or alias
 *     of that name exists (RFC 5321 §4.5.1, RFC 2142); an account or any routable address
 * @param detailSeparators characters that start a detail in a local part ({@code user+tag@} goes to
 *     {@code user@}); {@code "+"} by default, empty to turn plus-addressing off
 */
public record AccountSettings(Set<String> domains, Optional<String> postmaster, String detailSeparators) {
    public AccountSettings {
        domains = domains.stream().map(Addresses::domain).collect(Collectors.toUnmodifiableSet());
        postmaster = postmaster.map(Addresses::key);
    }

    /** Only the given configured domains, no default postmaster, {@code +} as detail separator. */
    public static AccountSettings of(Set<String> domains) {
        return new AccountSettings(domains, Optional.empty(), "+");
    }
}
