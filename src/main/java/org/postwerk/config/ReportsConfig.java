package org.postwerk.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code [reports]}: the daily aggregate reports this server sends, TLS-RPT (RFC 8460) and DMARC (RFC 7489 §7.2).
 *
 * @param organization organization-name / org_name; empty: the host name
 * @param contact      contact-info / email; empty: postmaster@hostname
 * @param from         From and envelope sender of report mail; empty: noreply-reports@hostname
 * @param tlsRpt       count outbound TLS results and send TLS-RPT reports
 * @param dmarc        send DMARC aggregate reports; empty: whenever DMARC is evaluated ({@code [auth] dmarc} not off)
 * @param maxDelay     reports go out at 00:00 UTC plus a random delay up to this (RFC 8460 §4.1 asks senders to
 *                     spread them)
 */
public record ReportsConfig(Optional<String> organization, Optional<String> contact, Optional<String> from,
                            boolean tlsRpt, Optional<Boolean> dmarc, Duration maxDelay) {
    public ReportsConfig {
        Objects.requireNonNull(organization);
        Objects.requireNonNull(contact);
        Objects.requireNonNull(from);
        Objects.requireNonNull(dmarc);
        Objects.requireNonNull(maxDelay);
    }

    public static final ReportsConfig DEFAULTS = new ReportsConfig(Optional.empty(), Optional.empty(),
            Optional.empty(), true, Optional.empty(), Duration.ofHours(4));

    public String organizationIn(Config c) {
        return organization.orElse(c.hostname());
    }

    public String contactIn(Config c) {
        return contact.orElse("postmaster@" + c.hostname());
    }

    public String fromIn(Config c) {
        return from.orElse("noreply-reports@" + c.hostname());
    }

    /** Whether DMARC reports are sent under {@code c}: only when DMARC is evaluated is there data for them. */
    public boolean dmarcIn(Config c) {
        return dmarc.orElse(true) && c.auth().dmarc() != AuthConfig.DmarcAction.OFF;
    }

    /** Reads {@code [reports]}. */
    static ReportsConfig read(Section s, ReportsConfig d) {
        return new ReportsConfig(
                s.parsed("organization", v -> Optional.of(ConfigLoader.nonEmpty(v))).orElse(d.organization()),
                s.parsed("contact", v -> Optional.of(ConfigLoader.mailbox(v))).orElse(d.contact()),
                s.parsed("from", v -> Optional.of(ConfigLoader.mailbox(v))).orElse(d.from()),
                s.bool("tls_rpt", d.tlsRpt()),
                s.has("dmarc") ? Optional.of(s.bool("dmarc", true)) : d.dmarc(),
                s.duration("max_delay", d.maxDelay(), Duration.ZERO, Duration.ofHours(23)));
    }
}
