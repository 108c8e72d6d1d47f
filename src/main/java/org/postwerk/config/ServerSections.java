package org.postwerk.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tomlj.TomlPosition;

/**
 * Reads the sections about accepting mail: {@code [[listener]]}, {@code [tls]}, {@code [limits]}, {@code [timeouts]},
 * {@code [login]}, {@code [imap]}, {@code [pop3]}, {@code [web]}.
 */
final class ServerSections {
    private static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private ServerSections() {}

    /** {@code [[listener]]} tables replace the default listeners as a whole. */
    static List<ListenerConfig> listeners(Section root, List<ListenerConfig> dflt, MilterConfig.Settings milters) {
        Optional<List<Section>> tables = root.tables("listener");
        if (tables.isEmpty()) {
            return dflt;
        }
        if (tables.get().isEmpty()) {
            root.problem("listener", "at least one [[listener]] is needed");
        }
        List<ListenerConfig> out = new ArrayList<>();
        boolean ops = false;
        Map<ListenerConfig, TomlPosition> seen = new LinkedHashMap<>();
        for (Section s : tables.get()) {
            Optional<ListenerConfig> parsed = listener(s);
            parsed.ifPresent(l -> MilterSections.checkListener(s, l, milters));
            if (parsed.isPresent() && parsed.get().role() == Role.OPS) {
                if (ops) {
                    s.problem("role", "only one listener may have role = \"ops\"");
                }
                ops = true;
            }
            parsed.ifPresent(l -> {
                seen.forEach((other, at) -> {
                    if (overlap(l.address(), other.address())) {
                        s.problem("port", Addresses.format(l.address()) + " is already taken by the listener on "
                                + Addresses.format(other.address()) + " at line " + at.line());
                    }
                });
                seen.putIfAbsent(l, s.position());
                out.add(l);
            });
        }
        return out;
    }

    private static Optional<ListenerConfig> listener(Section s) {
        if (!s.has("role")) {
            s.problem("role", "missing: set role = \"smtp\", \"submission\", \"submissions\", \"imap\", \"imaps\" or"
                    + " \"ops\"");
        }
        Optional<Role> role = s.parsed("role", ServerSections::role);
        InetAddress address = s.parsed("address", ServerSections::ipLiteral)
                .orElse(Addresses.literal("127.0.0.1").orElseThrow());
        int port = s.integer("port", role.map(ServerSections::standardPort).orElse(25), 1, 65535);
        boolean proxy = s.bool("proxy_protocol", false);
        List<Network> trusted = s.list("proxy_trusted", Network::parse).orElse(ListenerConfig.LOOPBACK);
        if (proxy && role.map(Role::isWeb).orElse(false)) {
            s.problem("proxy_protocol", "is not supported on the web listeners");
        }
        if (proxy && trusted.isEmpty()) {
            s.problem("proxy_trusted", "must list the proxies' networks when proxy_protocol = true");
        }
        if (role.orElse(null) == Role.OPS) {
            opsListener(s, address, proxy);
        }
        List<String> milters = s.list("milters", String::valueOf).orElse(List.of());
        return role.map(r -> new ListenerConfig(r, new InetSocketAddress(address, port), proxy, trusted, milters));
    }

    /**
     * The operators' listener serves metrics and health without a login, in plain HTTP: it stays on a loopback
     * address unless {@code public = true} says the operator means it (and has a firewall in front).
     */
    private static void opsListener(Section s, InetAddress address, boolean proxy) {
        boolean open = s.bool("public", false);
        if (!address.isLoopbackAddress() && !open) {
            s.problem("address", "\"" + address.getHostAddress() + "\" is not a loopback address: /metrics and"
                    + " /health have no login; set public = true to listen there anyway (behind a firewall)");
        }
        if (proxy) {
            s.problem("proxy_protocol", "is not supported on the ops listener");
        }
    }

    private static Role role(String text) {
        for (Role r : Role.values()) {
            if (r.name().toLowerCase(Locale.ROOT).equals(text)) {
                return r;
            }
        }
        throw new IllegalArgumentException("must be \"smtp\", \"submission\", \"submissions\", \"imap\", \"imaps\", \"pop3\","
                + " \"pop3s\", \"web\", \"http\" or \"ops\", got \"" + text + "\"");
    }

    /** RFC 5321 §4.5.4 port 25, RFC 6409 §3.1 587, RFC 8314 §3.3 465, 993 and 995, RFC 9051 143, RFC 1939 110. */
    private static int standardPort(Role role) {
        return switch (role) {
            case SMTP -> 25;
            case SUBMISSION -> 587;
            case SUBMISSIONS -> 465;
            case IMAP -> 143;
            case IMAPS -> 993;
            case POP3 -> 110;
            case POP3S -> 995;
            case WEB -> 443;
            case HTTP -> 80;
            case OPS -> 2080; // no standard port; the embedded default
        };
    }

    static InetAddress ipLiteral(String text) {
        return Addresses.literal(text).orElseThrow(() -> new IllegalArgumentException(
                "must be an IP address such as \"127.0.0.1\", \"0.0.0.0\" or \"::\", got \"" + text + "\""));
    }

    /** Same port on the same address, or on a wildcard that covers it ({@code ::} also takes IPv4 here). */
    private static boolean overlap(InetSocketAddress a, InetSocketAddress b) {
        if (a.getPort() != b.getPort()) {
            return false;
        }
        InetAddress x = a.getAddress();
        InetAddress y = b.getAddress();
        boolean sameFamily = x.getClass() == y.getClass();
        return x.equals(y) || (x.isAnyLocalAddress() && (sameFamily || x.getAddress().length == 16))
                || (y.isAnyLocalAddress() && (sameFamily || y.getAddress().length == 16));
    }

    static TlsConfig tls(Section s, Path baseDir, TlsConfig d) {
        Optional<Path> certificate = s.parsed("certificate", p -> readableFile(baseDir, p));
        Optional<Path> key = s.parsed("key", p -> readableFile(baseDir, p));
        if (s.has("certificate") != s.has("key")) {
            String set = s.has("certificate") ? "certificate" : "key";
            String missing = s.has("certificate") ? "key" : "certificate";
            s.problem(set, "needs " + s.key(missing) + " too: give both, or neither for a self-signed certificate");
        }
        List<String> protocols = s.list("protocols", ServerSections::tlsProtocol).orElse(d.protocols());
        if (protocols.isEmpty()) {
            s.problem("protocols", "must name at least one of " + TLS_PROTOCOLS);
        } else if (protocols.stream().distinct().count() != protocols.size()) {
            s.problem("protocols", "lists a protocol twice");
        }
        boolean both = certificate.isPresent() && key.isPresent();
        return new TlsConfig(both ? certificate : Optional.empty(), both ? key : Optional.empty(),
                protocols.isEmpty() ? d.protocols() : protocols, extraCertificates(s, baseDir, d.extra()));
    }

    /** {@code [[tls.extra]]}: each needs a certificate and its key. */
    private static List<TlsConfig.Pair> extraCertificates(Section tls, Path baseDir, List<TlsConfig.Pair> d) {
        Optional<List<Section>> tables = tls.tables("extra");
        if (tables.isEmpty()) {
            return d;
        }
        List<TlsConfig.Pair> out = new java.util.ArrayList<>();
        for (Section s : tables.get()) {
            Optional<Path> certificate = s.parsed("certificate", p -> readableFile(baseDir, p));
            Optional<Path> key = s.parsed("key", p -> readableFile(baseDir, p));
            for (String required : List.of("certificate", "key")) {
                if (!s.has(required)) {
                    s.problem(required, "missing: every [[tls.extra]] needs certificate and key");
                }
            }
            if (certificate.isPresent() && key.isPresent()) {
                out.add(new TlsConfig.Pair(certificate.get(), key.get()));
            }
        }
        return out;
    }

    private static String tlsProtocol(String name) {
        if (!TLS_PROTOCOLS.contains(name)) {
            throw new IllegalArgumentException("\"" + name + "\" is not allowed, only \"TLSv1.3\" and \"TLSv1.2\""
                    + " (older versions are broken, RFC 8996)");
        }
        return name;
    }

    static Path readableFile(Path baseDir, String name) {
        Path file = baseDir.resolve(ConfigLoader.nonEmpty(name)).normalize();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file not found: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("file not readable: " + file);
        }
        return file;
    }

    static Limits limits(Section s, Limits d) {
        long messageSize = s.size("message_size", d.messageSize(), 1L << 40);
        int recipients = s.integer("recipients", d.recipients(), 1, 100_000);
        // RFC 5321 §4.5.3.1.4 and §4.5.3.1.6: no smaller than 512 and 1000 octets.
        int commandLine = s.integer("command_line", d.commandLine(), 512, 65_536);
        int textLine = s.integer("text_line", d.textLine(), 1000, 1 << 20);
        int connections = s.integer("connections", d.connections(), 1, 1_000_000);
        int perIp = s.integer("connections_per_ip", d.connectionsPerIp(), 1, 1_000_000);
        if (perIp > connections) {
            s.problem("connections_per_ip", "must not exceed limits.connections (" + connections + "), got " + perIp);
        }
        int errors = s.integer("errors", d.errors(), 1, 1000);
        int authFailures = s.integer("auth_failures", d.authFailures(), 1, 1000);
        Duration delay = s.duration("auth_failure_delay", d.authFailureDelay(), Duration.ZERO, Duration.ofMinutes(1));
        return new Limits(messageSize, recipients, commandLine, textLine, connections, perIp, errors, authFailures,
                delay, perNetwork(s, d.perNetwork(), perIp), stress(s, d.stress()));
    }

    /** Unset, the network limit is never below the per-address one: a network holds at least one address. */
    private static Limits.PerNetwork perNetwork(Section s, Limits.PerNetwork d, int perIp) {
        int connections = s.integer("connections_per_network", Math.max(d.connections(), perIp), 1, 1_000_000);
        if (connections < perIp) {
            s.problem("connections_per_network", "must not be less than limits.connections_per_ip (" + perIp
                    + "), got " + connections);
        }
        return new Limits.PerNetwork(connections, s.integer("network_prefix_ipv4", d.ipv4Prefix(), 8, 32),
                s.integer("network_prefix_ipv6", d.ipv6Prefix(), 16, 128));
    }

    private static Limits.Stress stress(Section s, Limits.Stress d) {
        return new Limits.Stress(s.integer("stress_threshold", d.percent(), 1, 100),
                s.integer("stress_connections_per_network", d.connectionsPerNetwork(), 1, 1_000_000));
    }

    static LoginConfig login(Section s, LoginConfig d) {
        return new LoginConfig(s.integer("hash_threads", d.hashThreads(), 1, 1024),
                s.integer("hash_queue", d.hashQueue(), 0, 100_000),
                s.integer("failures_per_minute", d.failuresPerMinute(), 1, 1_000_000));
    }

    static ImapConfig imap(Section s, ImapConfig d) {
        // RFC 9051 §5.4: an autologout timer after login must be at least 30 minutes.
        return new ImapConfig(s.duration("idle_timeout", d.idle(), Duration.ofMinutes(30), Duration.ofDays(1)),
                s.duration("login_timeout", d.login(), Duration.ofSeconds(1), Duration.ofHours(1)),
                s.size("append_limit", d.appendLimit(), 2L << 30),
                (int) Math.max(64 * 1024, s.size("command_size", d.commandSize(), 64L << 20)),
                s.integer("connections_per_user", d.connectionsPerUser(), 1, 100_000),
                s.size("quota", d.quota(), 1L << 50));
    }

    /** RFC 1939 §3: the autologout timer is at least 10 minutes. */
    static Pop3Config pop3(Section s, Pop3Config d) {
        return new Pop3Config(s.duration("idle_timeout", d.idle(), Duration.ofMinutes(10), Duration.ofDays(1)),
                s.duration("login_timeout", d.login(), Duration.ofSeconds(1), Duration.ofHours(1)),
                s.integer("connections_per_user", d.connectionsPerUser(), 1, 100_000));
    }

    static WebConfig web(Section s, WebConfig d) {
        return new WebConfig(s.size("request_size", d.requestSize(), 1L << 20),
                s.duration("timeout", d.timeout(), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                s.integer("connections", d.connections(), 1, 100_000));
    }

    static Timeouts timeouts(Section s, Timeouts d) {
        Duration min = Duration.ofMillis(1);
        return new Timeouts(s.duration("command", d.command(), min, Duration.ofDays(1)),
                s.duration("data_block", d.dataBlock(), min, Duration.ofDays(1)),
                s.duration("session", d.session(), min, Duration.ofDays(7)),
                s.duration("stress_command", d.stressCommand(), min, Duration.ofDays(1)),
                s.duration("stress_data_block", d.stressDataBlock(), min, Duration.ofDays(1)));
    }
}
