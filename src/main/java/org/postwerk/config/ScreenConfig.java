package org.postwerk.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code [screen]} and {@code [greylist]}: the defences of the {@code smtp} role before a message is accepted.
 * DNS lists (RFC 5782) are looked up at connect and scored like postscreen's {@code postscreen_dnsbl_sites}: at
 * {@code dnsblThreshold} or above a client is refused at MAIL FROM, at {@code dnsblAllowlistThreshold} or below
 * it skips greylisting. {@code rhsblSites} are domain lists asked about the MAIL FROM and HELO domains. A
 * client that talks within {@code greetWait} of connecting, before our greeting, is refused (0: greet at once).
 */
public record ScreenConfig(List<DnsListSite> dnsblSites, int dnsblThreshold, int dnsblAllowlistThreshold,
                           Duration dnsblTimeout, List<DnsListSite> rhsblSites, Duration greetWait,
                           GreylistConfig greylist) {
    /** DNS lists off until some are configured; no greeting delay; greylisting off. */
    public static final ScreenConfig DEFAULTS = new ScreenConfig(List.of(), 1, -1, Duration.ofSeconds(5), List.of(),
            Duration.ZERO, GreylistConfig.DEFAULTS);

    public ScreenConfig {
        dnsblSites = List.copyOf(dnsblSites);
        rhsblSites = List.copyOf(rhsblSites);
        Objects.requireNonNull(dnsblTimeout);
        Objects.requireNonNull(greetWait);
        Objects.requireNonNull(greylist);
    }

    /**
     * Greylisting on the triplet (client network, sender, recipient), as postgrey does it: a first attempt gets
     * {@code 450 4.7.1}; a retry after {@code delay} and within {@code retryWindow} passes; a passed triplet, and
     * a client network with {@code autoWhitelist} passed retries (0: never), pass at once until unseen for
     * {@code maxAge}. At most {@code maxEntries} are kept (the least recently seen go first). Exempt: logged-in
     * clients, {@code relay_networks}, {@code exemptNetworks}, recipients in {@code exemptRecipients} (a domain
     * or an address) and DNSWL-listed clients.
     */
    public record GreylistConfig(boolean enabled, Duration delay, Duration retryWindow, Duration maxAge,
                                 int autoWhitelist, int maxEntries, List<Network> exemptNetworks,
                                 List<String> exemptRecipients) {
        /** postgrey's defaults: 5 minutes, 2 days, 35 days, 5 retries. */
        public static final GreylistConfig DEFAULTS = new GreylistConfig(false, Duration.ofMinutes(5),
                Duration.ofDays(2), Duration.ofDays(35), 5, 100_000, List.of(), List.of());

        public GreylistConfig {
            exemptNetworks = List.copyOf(exemptNetworks);
            exemptRecipients = List.copyOf(exemptRecipients);
        }
    }
}
