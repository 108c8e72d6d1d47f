package org.postwerk.auth.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.auth.spf.SpfResult.Code;
import org.postwerk.auth.spf.SpfResult.Identity;
import org.postwerk.dns.Resolver;

/**
 * Checks whether a client may send for a domain (RFC 7208). Thread-safe: all state of one check lives in an
 * {@link Evaluation}. Every DNS call is bounded by the {@link Resolver}; DNS failures become temperror.
 */
public final class SpfVerifier {
    private final Resolver resolver;
    private final String receiver;
    private final InstantSource clock;

    /**
     * @param resolver DNS (a caching one in production)
     * @param receiver this host's name, used in %{r} and in Received-SPF
     */
    public SpfVerifier(Resolver resolver, String receiver) {
        this(resolver, receiver, Clock.systemUTC());
    }

    /** As above; {@code clock} gives %{t} (RFC 7208 §7.2) and bounds a check to 20 s (§4.6.4). */
    public SpfVerifier(Resolver resolver, String receiver, InstantSource clock) {
        this.resolver = resolver;
        this.receiver = receiver;
        this.clock = clock;
    }

    /**
     * The MAIL FROM check (RFC 7208 §2.4). {@code mailFromOrNull} is the reverse-path without angle brackets;
     * when it is null or empty (a bounce) the HELO identity is checked instead, as {@code postmaster@helo}.
     * A reverse-path without local part uses "postmaster" (§4.3).
     */
    public SpfResult check(InetAddress client, String mailFromOrNull, String helo) {
        if (mailFromOrNull == null || mailFromOrNull.isEmpty()) {
            return checkHelo(client, helo);
        }
        int at = mailFromOrNull.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : mailFromOrNull.substring(0, at);
        String domain = mailFromOrNull.substring(at + 1);
        return run(client, local, domain, helo, Identity.MAILFROM);
    }

    /** The HELO identity check (RFC 7208 §2.3): the HELO domain, sender {@code postmaster@helo}. */
    public SpfResult checkHelo(InetAddress client, String helo) {
        return run(client, "postmaster", helo, helo, Identity.HELO);
    }

    private SpfResult run(InetAddress client, String local, String domain, String helo, Identity identity) {
        Macros macros = new Macros(resolver, client, local, domain, helo, receiver, clock);
        Evaluation.Outcome outcome = new Evaluation(resolver, client, macros, clock).checkHost(domain);
        String d = DomainNames.withoutTrailingDot(domain).toLowerCase(Locale.ROOT);
        Code code = outcome.code();
        return new SpfResult(code, identity, d, local + "@" + domain, client, helo, receiver,
                Optional.ofNullable(outcome.explanation()), Optional.ofNullable(outcome.problem()));
    }
}
