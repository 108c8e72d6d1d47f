package org.postwerk.config;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads {@code [[milter]]} and {@code [milter_policy]}, and checks the milter names the listeners use. */
final class MilterSections {
    private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    private MilterSections() {}

    static MilterConfig.Settings read(Section root) {
        List<MilterConfig> milters = new ArrayList<>();
        for (Section s : root.tables("milter").orElse(List.of())) {
            milter(s).ifPresent(m -> {
                if (milters.stream().anyMatch(o -> o.name().equals(m.name()))) {
                    s.problem("name", "\"" + m.name() + "\" names another [[milter]] already");
                } else {
                    milters.add(m);
                }
            });
        }
        Section policy = root.table("milter_policy");
        List<String> junk = policy.list("junk_headers", MilterSections::fieldName)
                .orElse(MilterConfig.Settings.DEFAULTS.junkHeaders());
        return new MilterConfig.Settings(milters, junk);
    }

    private static Optional<MilterConfig> milter(Section s) {
        for (String required : List.of("name", "address")) {
            if (!s.has(required)) {
                s.problem(required, "missing: every [[milter]] needs name and address");
            }
        }
        Optional<String> name = s.parsed("name", MilterSections::name);
        Optional<SocketAddress> address = s.parsed("address", MilterSections::address);
        MilterConfig.DefaultAction action = s.parsed("default_action", MilterSections::action)
                .orElse(MilterConfig.DefaultAction.TEMPFAIL);
        Duration min = Duration.ofMillis(100);
        Duration connect = s.duration("connect_timeout", Duration.ofSeconds(5), min, MAX_TIMEOUT);
        Duration command = s.duration("command_timeout", Duration.ofSeconds(30), min, MAX_TIMEOUT);
        Duration message = s.duration("message_timeout", Duration.ofSeconds(300), min, MAX_TIMEOUT);
        if (name.isEmpty() || address.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MilterConfig(name.get(), address.get(), action, connect, command, message));
    }

    /** Every name in a listener's {@code milters} must be a {@code [[milter]]}; only SMTP listeners have milters. */
    static void checkListener(Section s, ListenerConfig l, MilterConfig.Settings settings) {
        List<String> known = settings.milters().stream().map(MilterConfig::name).toList();
        if (!l.milters().isEmpty() && !l.role().isSmtp()) {
            s.problem("milters", "only smtp, submission and submissions listeners pass mail through milters");
        }
        for (String m : l.milters()) {
            if (!known.contains(m)) {
                s.problem("milters", "\"" + m + "\" is not a [[milter]] name"
                        + Suggestions.closest(m, known).map(x -> "; did you mean \"" + x + "\"?")
                        .orElse(known.isEmpty() ? "; add a [[milter]] with name = \"" + m + "\""
                                : "; the milters are " + known));
            }
        }
    }

    private static String name(String text) {
        if (!text.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("must be a short name of letters, digits, '-', '_' and '.', got \""
                    + text + "\"");
        }
        return text;
    }

    /** {@code host:port}, {@code [ipv6]:port} or {@code unix:/path}; Postfix's {@code inet:host:port} too. */
    static SocketAddress address(String text) {
        if (text.startsWith("unix:")) {
            String path = text.substring(5);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a Unix socket needs an absolute path: \"unix:/run/x.sock\", got \""
                        + text + "\"");
            }
            return UnixDomainSocketAddress.of(Path.of(path));
        }
        String t = text.startsWith("inet:") ? text.substring(5) : text;
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || (t.indexOf(':') != colon && !t.startsWith("["))) {
            throw new IllegalArgumentException("must be host:port, [ipv6]:port or unix:/path, got \"" + text + "\"");
        }
        if (Addresses.literal(t.substring(0, colon).replaceAll("^\\[|]$", "")).isPresent()) {
            return Addresses.socket(t, 0);
        }
        String host = ConfigLoader.domain(t.substring(0, colon));
        String port = t.substring(colon + 1);
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535 in \"" + text + "\"");
        }
        return InetSocketAddress.createUnresolved(host, Integer.parseInt(port));
    }

    private static MilterConfig.DefaultAction action(String text) {
        return switch (text) {
            case "tempfail" -> MilterConfig.DefaultAction.TEMPFAIL;
            case "accept" -> MilterConfig.DefaultAction.ACCEPT;
            default -> throw new IllegalArgumentException("must be \"tempfail\" or \"accept\", got \"" + text + "\"");
        };
    }

    private static String fieldName(String text) {
        if (!text.matches("[!-9;-~]{1,76}")) {
            throw new IllegalArgumentException("must be a header field name such as \"X-Spam\", got \"" + text + "\"");
        }
        return text;
    }
}
