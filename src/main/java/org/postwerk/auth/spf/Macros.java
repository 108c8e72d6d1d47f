package org.postwerk.auth.spf;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import org.postwerk.dns.Resolver;

/**
 * The values of the macro letters for one check (RFC 7208 §7.2) and the expansion of domain-specs (§7.3).
 * %{p} costs DNS lookups, so it is computed only when a record uses it, once per expansion.
 */
final class Macros {
    private final Resolver resolver;
    private final InetAddress client;
    private final String local;
    private final String senderDomain;
    private final String helo;
    private final String receiver;
    private final InstantSource clock;

    Macros(Resolver resolver, InetAddress client, String local, String senderDomain, String helo, String receiver,
           InstantSource clock) {
        this.resolver = resolver;
        this.client = client;
        this.local = local;
        this.senderDomain = senderDomain;
        this.helo = helo;
        this.receiver = receiver;
        this.clock = clock;
    }

    /** A domain-spec expanded for the current domain {@code d}, without trailing dot, cut to 253 characters. */
    String domain(MacroString spec, String d) {
        return DomainNames.truncate(spec.expand(letter -> value(letter, d)));
    }

    /** An explanation string expanded for the current domain {@code d}. */
    String explanation(MacroString text, String d) {
        return text.expand(letter -> value(letter, d));
    }

    private String value(char letter, String d) {
        return switch (letter) {
            case 's' -> local + "@" + senderDomain;
            case 'l' -> local;
            case 'o' -> senderDomain;
            case 'd' -> d;
            case 'i' -> Network.macroForm(client);
            case 'p' -> validatedName(d);
            case 'v' -> Network.isIpv4(client) ? "in-addr" : "ip6";
            case 'h' -> helo;
            case 'c' -> Network.text(client);
            case 'r' -> receiver;
            case 't' -> Long.toString(clock.instant().getEpochSecond());
            default -> throw new IllegalStateException("macro letter not checked by the parser: " + letter);
        };
    }

    /** §7.3: prefer a validated name equal to d, then one below d, then any; "unknown" if none. */
    private String validatedName(String d) {
        List<String> names = PtrNames.of(resolver, client).validated();
        String target = d.toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.equalsIgnoreCase(target)).findFirst()
                .or(() -> names.stream().filter(n -> n.toLowerCase(Locale.ROOT).endsWith("." + target)).findFirst())
                .or(() -> names.stream().findFirst())
                .orElse("unknown");
    }
}
