package org.postwerk.auth.spf;

import java.util.Optional;

/** The mechanisms of RFC 7208 §5; a domain of {@code Optional.empty()} means the current domain. */
public sealed interface Mechanism {
    /** §5.1: always matches. */
    record All() implements Mechanism {}

    /** §5.2: matches when the other domain's policy passes. */
    record Include(MacroString domain) implements Mechanism {}

    /** §5.3: the client is within {@code cidr4}/{@code cidr6} of one of the domain's addresses. */
    record A(Optional<MacroString> domain, int cidr4, int cidr6) implements Mechanism {}

    /** §5.4: as {@link A}, for the addresses of the domain's MX hosts. */
    record Mx(Optional<MacroString> domain, int cidr4, int cidr6) implements Mechanism {}

    /** §5.5 (do not use): a validated reverse name of the client is in the domain. */
    record Ptr(Optional<MacroString> domain) implements Mechanism {}

    /** §5.6: {@code network} is 4 bytes (ip4) or 16 bytes (ip6). */
    record Ip(Network network) implements Mechanism {}

    /** §5.7: the domain has an A record. */
    record Exists(MacroString domain) implements Mechanism {}

    /** Whether evaluating this term counts against the ten-lookup limit (RFC 7208 §4.6.4). */
    default boolean queriesDns() {
        return !(this instanceof All || this instanceof Ip);
    }
}
