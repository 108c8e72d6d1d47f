package org.postwerk.config;

import java.time.Duration;
import java.util.List;

/** Reads {@code [screen]} (DNS lists, greeting delay) and {@code [greylist]}. */
final class ScreenSections {
    private ScreenSections() {}

    static ScreenConfig screen(Section s, Section g, ScreenConfig d) {
        List<DnsListSite> dnsbl = s.list("dnsbl_sites", DnsListSite::parse).orElse(d.dnsblSites());
        int threshold = s.integer("dnsbl_threshold", d.dnsblThreshold(), 1, 1_000_000);
        int allow = s.integer("dnsbl_allowlist_threshold", d.dnsblAllowlistThreshold(), -1_000_000, -1);
        Duration timeout = s.duration("dnsbl_timeout", d.dnsblTimeout(), Duration.ofMillis(100), Duration.ofMinutes(1));
        List<DnsListSite> rhsbl = s.list("rhsbl_sites", DnsListSite::parse).orElse(d.rhsblSites());
        // RFC 5321 §4.5.3.2.1: a client waits 5 minutes for the greeting; we stay far below.
        Duration greetWait = s.duration("greet_wait", d.greetWait(), Duration.ZERO, Duration.ofSeconds(30));
        for (DnsListSite site : rhsbl) {
            if (site.weight() != 1) {
                s.problem("rhsbl_sites", "\"" + site + "\": domain lists have no weight, any listing refuses");
            }
        }
        return new ScreenConfig(dnsbl, threshold, allow, timeout, rhsbl, greetWait, greylist(g, d.greylist()));
    }

    private static ScreenConfig.GreylistConfig greylist(Section g, ScreenConfig.GreylistConfig d) {
        boolean enabled = g.bool("enabled", d.enabled());
        Duration delay = g.duration("delay", d.delay(), Duration.ZERO, Duration.ofHours(12));
        Duration window = g.duration("retry_window", d.retryWindow(), Duration.ofMinutes(1), Duration.ofDays(30));
        Duration maxAge = g.duration("max_age", d.maxAge(), Duration.ofHours(1), Duration.ofDays(3650));
        if (window.compareTo(delay) <= 0) {
            g.problem("retry_window", "must be longer than greylist.delay (" + Durations.format(delay) + ")");
        }
        if (maxAge.compareTo(window) < 0) {
            g.problem("max_age", "must not be shorter than greylist.retry_window");
        }
        return new ScreenConfig.GreylistConfig(enabled, delay, window, maxAge,
                g.integer("auto_whitelist", d.autoWhitelist(), 0, 1000),
                g.integer("max_entries", d.maxEntries(), 100, 100_000_000),
                g.list("exempt_networks", Network::parse).orElse(d.exemptNetworks()),
                g.list("exempt_recipients", ScreenSections::recipient).orElse(d.exemptRecipients()));
    }

    /** A domain ({@code example.org}) or an address ({@code postmaster@example.org}), lower-cased. */
    private static String recipient(String text) {
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return ConfigLoader.domain(text);
        }
        if (at == 0 || text.substring(0, at).contains(" ")) {
            throw new IllegalArgumentException("must be a domain or an address like postmaster@example.org, got \""
                    + text + "\"");
        }
        return text.substring(0, at).toLowerCase(java.util.Locale.ROOT) + "@" + ConfigLoader.domain(text.substring(at + 1));
    }
}
