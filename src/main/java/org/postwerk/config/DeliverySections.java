package org.postwerk.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the sections about sending and keeping mail: {@code [dns]}, {@code [queue]}, {@code [[route]]},
 * {@code [storage]}, {@code [mta_sts]}, {@code [dane]}.
 */
final class DeliverySections {
    private static final Duration MAX_RETRY = Duration.ofDays(7);

    private DeliverySections() {}

    static DnsConfig dns(Section s, DnsConfig d) {
        List<InetSocketAddress> servers = s.list("servers", text -> Addresses.socket(text, 53)).orElse(d.servers());
        Duration timeout = s.duration("timeout", d.timeout(), Duration.ofMillis(1), Duration.ofMinutes(1));
        return new DnsConfig(servers, timeout);
    }

    static StorageConfig storage(Section s, StorageConfig d) {
        return new StorageConfig(s.bool("journal", d.journal()),
                s.duration("checkpoint", d.checkpoint(), Duration.ofMillis(100), Duration.ofMinutes(10)),
                s.size("checkpoint_size", d.checkpointSize(), 1L << 40),
                s.size("journal_max_message", d.journalMaxMessage(), 1L << 30),
                s.size("min_free", d.minFree(), 1L << 40));
    }

    static QueueConfig queue(Section s, QueueConfig d) {
        List<Duration> retry = s.list("retry", DeliverySections::retryInterval).orElse(d.retrySchedule());
        if (retry.isEmpty()) {
            s.problem("retry", "must list at least one interval (the last one repeats)");
            retry = d.retrySchedule();
        }
        Duration maxLifetime = s.duration("max_lifetime", d.maxLifetime(), Duration.ofSeconds(1), Duration.ofDays(90));
        Optional<Duration> delayWarning = d.delayWarning();
        Optional<String> warning = s.string("delay_warning");
        if (warning.filter("off"::equals).isPresent()) {
            delayWarning = Optional.empty();
        } else if (warning.isPresent()) {
            delayWarning = s.durationIfSet("delay_warning", Duration.ofSeconds(1), Duration.ofDays(90));
        }
        if (delayWarning.isPresent() && delayWarning.get().compareTo(maxLifetime) >= 0) {
            s.problem("delay_warning", "must be shorter than queue.max_lifetime (" + Durations.format(maxLifetime)
                    + "), or \"off\"");
        }
        int concurrency = s.integer("concurrency", d.concurrency(), 1, 10_000);
        int perDestination = s.integer("per_destination", d.perDestination(), 1, 10_000);
        if (perDestination > concurrency) {
            s.problem("per_destination", "must not exceed queue.concurrency (" + concurrency + "), got "
                    + perDestination);
        }
        // Postfix's bounce_size_limit: a report never returns more than this of what someone else sent.
        long dsnMaxReturn = s.size("dsn_max_return", d.dsnMaxReturn(), 1L << 30);
        return new QueueConfig(retry, maxLifetime, delayWarning, concurrency, perDestination, dsnMaxReturn);
    }

    private static Duration retryInterval(String text) {
        Duration d = Durations.parse(text);
        if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(MAX_RETRY) > 0) {
            throw new IllegalArgumentException("each interval must be between 1s and 7d, got \"" + text + "\"");
        }
        return d;
    }

    /** {@code [[route]]} tables, in file order; a domain may have one route only. */
    static List<RouteConfig> routes(Section root) {
        List<RouteConfig> out = new ArrayList<>();
        for (Section s : root.tables("route").orElse(List.of())) {
            route(s).ifPresent(route -> {
                if (out.stream().anyMatch(r -> r.domain().equals(route.domain()))) {
                    s.problem("domain", "\"" + route.domain() + "\" has a route already");
                } else {
                    out.add(route);
                }
            });
        }
        return out;
    }

    private static Optional<RouteConfig> route(Section s) {
        for (String required : List.of("domain", "host")) {
            if (!s.has(required)) {
                s.problem(required, "missing: every [[route]] needs domain and host");
            }
        }
        Optional<String> domain = s.parsed("domain", d -> d.equals("*") ? d : ConfigLoader.domain(d));
        Optional<String> host = s.parsed("host", DeliverySections::host);
        boolean implicitTls = s.bool("implicit_tls", false);
        boolean requireTls = s.bool("require_tls", false);
        // RFC 8314 §3.3 port 465 for implicit TLS, otherwise the MX port.
        int port = s.integer("port", implicitTls ? 465 : 25, 1, 65535);
        Optional<String> user = s.parsed("auth_user", ConfigLoader::nonEmpty);
        Optional<String> password = s.parsed("auth_password", ConfigLoader::nonEmpty);
        if (s.has("auth_user") != s.has("auth_password")) {
            String set = s.has("auth_user") ? "auth_user" : "auth_password";
            s.problem(set, "needs " + s.key(set.equals("auth_user") ? "auth_password" : "auth_user") + " too");
        }
        if (s.has("auth_user") && !implicitTls && !requireTls) {
            s.problem("auth_user", "the password would be sent without TLS: set require_tls = true or implicit_tls = true");
        }
        if (domain.isEmpty() || host.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new RouteConfig(domain.get(), host.get(), port, implicitTls, requireTls, user, password));
    }

    /** {@code [mta_sts]}: RFC 8461 §3.2 caps max_age at 31557600 seconds. */
    static MtaStsConfig mtaSts(Section s, java.nio.file.Path baseDir, MtaStsConfig d) {
        return new MtaStsConfig(s.bool("enabled", d.enabled()),
                s.parsed("ca_file", p -> ServerSections.readableFile(baseDir, p)).or(d::caFile),
                s.duration("fetch_timeout", d.fetchTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(5)),
                s.integer("cache_size", d.cacheSize(), 1, 1_000_000),
                s.parsed("serve_mode", v -> ConfigLoader.choice(v, MtaStsConfig.Mode.class)).orElse(d.serveMode()),
                s.list("serve_mx", DeliverySections::mxPattern).orElse(d.serveMx()),
                s.duration("serve_max_age", d.serveMaxAge(), Duration.ofSeconds(1), Duration.ofSeconds(31_557_600)));
    }

    /**
     * {@code [dane]}: {@code validation = "local"} needs its trust anchor file; the file's records are read when
     * the server starts (a file without DS or DNSKEY records stops the start).
     */
    static DaneConfig dane(Section s, java.nio.file.Path baseDir, DaneConfig d) {
        DaneConfig.Validation validation = s.parsed("validation", DeliverySections::validation)
                .orElse(d.validation());
        java.util.Optional<java.nio.file.Path> anchor = s.parsed("trust_anchor",
                p -> ServerSections.readableFile(baseDir, p)).or(d::trustAnchor);
        boolean enabled = s.bool("enabled", d.enabled());
        if (enabled && validation == DaneConfig.Validation.LOCAL && anchor.isEmpty() && !s.has("trust_anchor")) {
            s.problem("validation", "\"local\" needs trust_anchor (a file of DS or DNSKEY records, e.g. the root's)");
        }
        return new DaneConfig(enabled, validation, anchor, s.bool("trusted_resolver", d.trustedResolver()));
    }

    private static DaneConfig.Validation validation(String text) {
        for (DaneConfig.Validation v : DaneConfig.Validation.values()) {
            if (v.text().equals(text)) {
                return v;
            }
        }
        throw new IllegalArgumentException("must be \"resolver-ad\" or \"local\", got \"" + text + "\"");
    }

    /**
     * {@code [acme]}; when enabled, a configured challenge must have its listener ({@code http} for HTTP-01,
     * {@code web} for TLS-ALPN-01), and the names must not be just {@code localhost}, for which no CA issues.
     */
    static AcmeConfig acme(Section s, java.nio.file.Path baseDir, AcmeConfig d, String hostname,
                           List<ListenerConfig> listeners) {
        List<String> challenges = s.list("challenge", DeliverySections::challenge).orElse(null);
        if (challenges != null && challenges.isEmpty()) {
            s.problem("challenge", "must name \"http-01\", \"tls-alpn-01\" or both");
        }
        AcmeConfig a = new AcmeConfig(s.bool("enabled", d.enabled()),
                s.parsed("directory", DeliverySections::httpsUri).orElse(d.directory()),
                s.parsed("email", ConfigLoader::mailbox).or(d::email),
                s.list("domains", ConfigLoader::domain).orElse(d.domains()),
                s.parsed("ca_file", p -> ServerSections.readableFile(baseDir, p)).or(d::caFile),
                challenges == null || challenges.isEmpty() ? d.challenges() : challenges.stream()
                        .map(c -> AcmeConfig.Challenge.valueOf(c.toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
                        .collect(java.util.stream.Collectors.toSet()),
                s.duration("renew_before", d.renewBefore(), Duration.ofMinutes(1), Duration.ofDays(3650)));
        if (a.enabled()) {
            boolean answerable = listeners.stream().anyMatch(l ->
                    (l.role() == Role.HTTP && a.challenges().contains(AcmeConfig.Challenge.HTTP_01))
                    || (l.role() == Role.WEB && a.challenges().contains(AcmeConfig.Challenge.TLS_ALPN_01)));
            if (!answerable) {
                s.problem("enabled", "no listener answers the challenges: http-01 needs a [[listener]] of role"
                        + " \"http\" (reached on port 80), tls-alpn-01 one of role \"web\" (port 443)");
            }
            if (a.domains(hostname, List.of()).equals(List.of("localhost")) && a.domains().isEmpty()) {
                s.problem("enabled", "no CA issues for localhost: set hostname (or [acme] domains)");
            }
        }
        return a;
    }

    private static String challenge(String text) {
        if (!text.equals("http-01") && !text.equals("tls-alpn-01")) {
            throw new IllegalArgumentException("\"" + text + "\" is not a challenge we answer: \"http-01\" or"
                    + " \"tls-alpn-01\"");
        }
        return text;
    }

    /** RFC 8555 §7.1.1: the directory is fetched over HTTPS. */
    private static java.net.URI httpsUri(String text) {
        java.net.URI uri = java.net.URI.create(text);
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("must be an https:// URL");
        }
        return uri;
    }

    /** An MTA-STS mx pattern (RFC 8461 §3.2): a host name, or {@code *.} and a domain. */
    private static String mxPattern(String text) {
        return text.startsWith("*.") ? "*." + ConfigLoader.domain(text.substring(2)) : ConfigLoader.domain(text);
    }

    /** A host name, or an IP literal (brackets allowed for IPv6). */
    private static String host(String text) {
        return Addresses.literal(text).map(Addresses::text).orElseGet(() -> ConfigLoader.domain(text));
    }
}
