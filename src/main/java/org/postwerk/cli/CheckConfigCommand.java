package org.postwerk.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.postwerk.config.Addresses;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.config.ConfigProblem;
import org.postwerk.config.Durations;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Sizes;
import org.postwerk.service.StartChecks;
import org.postwerk.service.StartProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code postwerk check-config}: validates the configuration and prints what the server would do with it. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {"Check the configuration file and print a summary.",
                "Exit status 0 when it is valid; otherwise every problem is printed as FILE:LINE: key: problem "
                        + "and the exit status is 1."})
public final class CheckConfigCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions configOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Config config;
        PrintWriter err = spec.commandLine().getErr();
        ConfigSearch search = configOptions.search();
        try {
            config = search.server();
        } catch (ConfigException e) {
            e.problems().stream().map(ConfigProblem::toString).forEach(err::println);
            return invalid(err, e.problems().size());
        }
        // What would stop the start, found without binding: data folder, certificate and key, addresses.
        List<StartProblem> start = StartChecks.problems(config);
        if (!start.isEmpty()) {
            start.forEach(p -> err.println(p.line()));
            return invalid(err, start.size());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(summary(config, search.source()));
        out.flush();
        return 0;
    }

    private static int invalid(PrintWriter err, int problems) {
        err.println(problems + (problems == 1 ? " problem" : " problems") + ": the configuration is not valid.");
        err.flush();
        return 1;
    }

    static String summary(Config c, String source) {
        StringBuilder sb = new StringBuilder();
        sb.append(source).append(": OK\n");
        line(sb, "hostname", c.hostname());
        line(sb, "data dir", c.dataDir().toString());
        line(sb, "local domains", String.join(", ", c.localDomains()));
        line(sb, "relay networks", c.relayNetworks().stream().map(Object::toString).collect(Collectors.joining(", ")));
        for (ListenerConfig l : c.listeners()) {
            line(sb, "listener", String.format("%-11s %s%s", l.role().name().toLowerCase(Locale.ROOT),
                    Addresses.format(l.address()), l.proxyProtocol() ? " (PROXY protocol)" : ""));
        }
        line(sb, "tls", c.tls().certificate().map(p -> "certificate " + p + ", key " + c.tls().key().orElseThrow())
                .orElse("self-signed, kept in " + c.dataDir().resolve("tls")) + " " + c.tls().protocols());
        line(sb, "dns", c.dns().servers().isEmpty() ? "system resolvers"
                : c.dns().servers().stream().map(Addresses::format).collect(Collectors.joining(", ")));
        line(sb, "message size", Sizes.format(c.limits().messageSize()));
        line(sb, "queue retry", c.queue().retrySchedule().stream().map(Durations::format)
                .collect(Collectors.joining(", ")) + ", give up after " + Durations.format(c.queue().maxLifetime()));
        c.routes().forEach(r -> line(sb, "route", r.domain() + " -> " + r.host() + ":" + r.port()
                + (r.implicitTls() ? " implicit TLS" : r.requireTls() ? " STARTTLS required" : "")
                + r.authUser().map(u -> " as " + u).orElse("")));
        return sb.toString();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format("  %-15s %s%n", label + ":", value));
    }
}
