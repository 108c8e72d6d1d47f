package org.postwerk.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole server configuration, immutable. Built by {@link ConfigLoader} from {@code postwerk.toml}, or
 * {@link #defaults} when there is no file; the file overrides only what it sets.
 */
public record Config(String hostname, Path dataDir, List<String> localDomains, List<Network> relayNetworks,
                     List<ListenerConfig> listeners, TlsConfig tls, DnsConfig dns, Limits limits,
                     Timeouts timeouts, SmtpOptions smtp, QueueConfig queue, List<RouteConfig> routes,
                     AuthConfig auth, StorageConfig storage, LoginConfig login, ImapConfig imap, Pop3Config pop3,
                     WebConfig web, LogConfig log, ScreenConfig screen, RateLimitConfig rateLimits, SrsConfig srs,
                     MilterConfig.Settings milters, MtaStsConfig mtaSts, DaneConfig dane, ReportsConfig reports,
                     AcmeConfig acme) {
    public Config {
        Objects.requireNonNull(hostname);
        Objects.requireNonNull(dataDir);
        localDomains = List.copyOf(localDomains);
        relayNetworks = List.copyOf(relayNetworks);
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(tls);
        Objects.requireNonNull(dns);
        Objects.requireNonNull(limits);
        Objects.requireNonNull(timeouts);
        Objects.requireNonNull(smtp);
        Objects.requireNonNull(queue);
        routes = List.copyOf(routes);
        Objects.requireNonNull(auth);
        Objects.requireNonNull(storage);
        Objects.requireNonNull(login);
        Objects.requireNonNull(imap);
        Objects.requireNonNull(pop3);
        Objects.requireNonNull(web);
        Objects.requireNonNull(log);
        Objects.requireNonNull(screen);
        Objects.requireNonNull(rateLimits);
        Objects.requireNonNull(srs);
        Objects.requireNonNull(milters);
        Objects.requireNonNull(mtaSts);
        Objects.requireNonNull(dane);
        Objects.requireNonNull(reports);
        Objects.requireNonNull(acme);
    }

    /** Without {@code [reports]} and {@code [acme]}: their defaults (ACME off). */
    public Config(String hostname, Path dataDir, List<String> localDomains, List<Network> relayNetworks,
                  List<ListenerConfig> listeners, TlsConfig tls, DnsConfig dns, Limits limits,
                  Timeouts timeouts, SmtpOptions smtp, QueueConfig queue, List<RouteConfig> routes,
                  AuthConfig auth, StorageConfig storage, LoginConfig login, ImapConfig imap, Pop3Config pop3,
                  WebConfig web, LogConfig log, ScreenConfig screen, RateLimitConfig rateLimits, SrsConfig srs,
                  MilterConfig.Settings milters, MtaStsConfig mtaSts, DaneConfig dane) {
        this(hostname, dataDir, localDomains, relayNetworks, listeners, tls, dns, limits, timeouts, smtp, queue, routes,
                auth, storage, login, imap, pop3, web, log, screen, rateLimits, srs, milters, mtaSts,
                dane, ReportsConfig.DEFAULTS, AcmeConfig.DEFAULTS);
    }

    /**
     * Without {@code [screen]}, {@code [greylist]}, {@code [rate_limits]}, {@code [srs]}, {@code [[milter]]}s and
     * {@code [mta_sts]} and {@code [dane]}: their defaults (DNS lists, greeting delay, greylisting and milters off).
     */
    public Config(String hostname, Path dataDir, List<String> localDomains, List<Network> relayNetworks,
                  List<ListenerConfig> listeners, TlsConfig tls, DnsConfig dns, Limits limits,
                  Timeouts timeouts, SmtpOptions smtp, QueueConfig queue, List<RouteConfig> routes,
                  AuthConfig auth, StorageConfig storage, LoginConfig login, ImapConfig imap, Pop3Config pop3,
                  WebConfig web, LogConfig log) {
        this(hostname, dataDir, localDomains, relayNetworks, listeners, tls, dns, limits, timeouts, smtp, queue, routes,
                auth, storage, login, imap, pop3, web, log, ScreenConfig.DEFAULTS, RateLimitConfig.DEFAULTS,
                SrsConfig.DEFAULTS, MilterConfig.Settings.DEFAULTS, MtaStsConfig.DEFAULTS,
                DaneConfig.DEFAULTS);
    }

    /** The same configuration with other milters. */
    public Config withMilters(MilterConfig.Settings m) {
        return new Config(hostname, dataDir, localDomains, relayNetworks, listeners, tls, dns, limits, timeouts, smtp,
                queue, routes, auth, storage, login, imap, pop3, web, log, screen, rateLimits, srs, m, mtaSts,
                dane, reports, acme);
    }

    /** The same configuration with other listeners (e.g. port 0, which a configuration file cannot ask for). */
    public Config withListeners(List<ListenerConfig> l) {
        return new Config(hostname, dataDir, localDomains, relayNetworks, l, tls, dns, limits, timeouts, smtp,
                queue, routes, auth, storage, login, imap, pop3, web, log, screen, rateLimits, srs, milters, mtaSts,
                dane, reports, acme);
    }

    /** Without {@code [pop3]}, {@code [web]} and {@code [log]}: their defaults (for code that builds a config by hand). */
    public Config(String hostname, Path dataDir, List<String> localDomains, List<Network> relayNetworks,
                  List<ListenerConfig> listeners, TlsConfig tls, DnsConfig dns, Limits limits,
                  Timeouts timeouts, SmtpOptions smtp, QueueConfig queue, List<RouteConfig> routes,
                  AuthConfig auth, StorageConfig storage, LoginConfig login, ImapConfig imap) {
        this(hostname, dataDir, localDomains, relayNetworks, listeners, tls, dns, limits, timeouts, smtp, queue, routes,
                auth, storage, login, imap, Pop3Config.DEFAULTS, WebConfig.DEFAULTS, LogConfig.DEFAULTS);
    }

    /**
     * The embedded defaults: a server for {@code localhost} that listens on loopback only, on unprivileged ports
     * (2525 smtp, 2587 submission, 2465 submissions, 2143 imap, 2993 imaps, 2110 pop3, 2995 pop3s, 2443 web,
     * 2081 http, 2080 ops), keeps its data in
     * {@code workingDir/data} and uses a
     * self-signed certificate. {@code postwerk.example.toml} shows the same values.
     */
    public static Config defaults(Path workingDir) {
        InetAddress loopback = Addresses.literal("127.0.0.1").orElseThrow();
        return new Config("localhost", workingDir.resolve("data"), List.of("localhost"),
                List.of(Network.parse("127.0.0.0/8"), Network.parse("::1/128")),
                List.of(new ListenerConfig(Role.SMTP, new InetSocketAddress(loopback, 2525), false),
                        new ListenerConfig(Role.SUBMISSION, new InetSocketAddress(loopback, 2587), false),
                        new ListenerConfig(Role.SUBMISSIONS, new InetSocketAddress(loopback, 2465), false),
                        new ListenerConfig(Role.IMAP, new InetSocketAddress(loopback, 2143), false),
                        new ListenerConfig(Role.IMAPS, new InetSocketAddress(loopback, 2993), false),
                        new ListenerConfig(Role.POP3, new InetSocketAddress(loopback, 2110), false),
                        new ListenerConfig(Role.POP3S, new InetSocketAddress(loopback, 2995), false),
                        new ListenerConfig(Role.WEB, new InetSocketAddress(loopback, 2443), false),
                        new ListenerConfig(Role.HTTP, new InetSocketAddress(loopback, 2081), false),
                        new ListenerConfig(Role.OPS, new InetSocketAddress(loopback, 2080), false)),
                new TlsConfig(Optional.empty(), Optional.empty(), List.of("TLSv1.3", "TLSv1.2")),
                new DnsConfig(List.of(), Duration.ofSeconds(5)),
                new Limits(50L << 20, 100, 512, 1000, 1000, 20, 10, 3, Duration.ofSeconds(2),
                        Limits.PerNetwork.DEFAULT, Limits.Stress.DEFAULT),
                // RFC 5321 §4.5.3.2: at least 5 minutes for a command, 3 for each DATA block.
                new Timeouts(Duration.ofMinutes(5), Duration.ofMinutes(3), Duration.ofMinutes(30),
                        Timeouts.STRESS_DEFAULT, Timeouts.STRESS_DEFAULT),
                new SmtpOptions(false, "postmaster@localhost"),
                // RFC 5321 §4.5.4.1: retry for at least 4-5 days before giving up.
                new QueueConfig(List.of(Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30),
                        Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4)),
                        Duration.ofDays(5), Optional.of(Duration.ofHours(4)), 100, 10, 50_000),
                List.of(), AuthConfig.DEFAULTS, StorageConfig.DEFAULTS, LoginConfig.defaults(), ImapConfig.DEFAULTS,
                Pop3Config.DEFAULTS, WebConfig.DEFAULTS, LogConfig.DEFAULTS, ScreenConfig.DEFAULTS,
                RateLimitConfig.DEFAULTS, SrsConfig.DEFAULTS, MilterConfig.Settings.DEFAULTS, MtaStsConfig.DEFAULTS,
                DaneConfig.DEFAULTS);
    }
}
