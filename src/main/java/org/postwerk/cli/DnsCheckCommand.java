package org.postwerk.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.postwerk.config.Config;
import org.postwerk.dns.DnsCache;
import org.postwerk.dns.DnsjavaResolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code postwerk dns check DOMAIN}: asks DNS, through the {@code [dns]} servers the server itself uses, for each
 * record {@code postwerk dns DOMAIN} prints, and says per record ok, missing or different (with what is
 * published). Exit code 0 when all are ok, 1 otherwise (also when a lookup failed: nothing was confirmed).
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Compare the records 'postwerk dns DOMAIN' prints with what DNS answers, line by line.")
final class DnsCheckCommand implements Callable<Integer> {
    @Mixin
    private ConfigOptions config;

    @Parameters(paramLabel = "DOMAIN", description = "A local domain.")
    private String domain;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        DnsCommand.Target t = DnsCommand.Target.of(config, domain, spec);
        if (t == null) {
            return 1;
        }
        Config c = t.config();
        // No cache to speak of: each name is asked once, and a fresh answer is the point.
        DnsjavaResolver dns = new DnsjavaResolver(
                c.dns().servers().isEmpty() ? DnsjavaResolver.systemServers() : c.dns().servers(),
                c.dns().timeout(), 1, new DnsCache(Clock.systemUTC(), 100, Duration.ZERO));
        List<PublishedRecords.Checked> checked = PublishedRecords.check(DnsCommand.records(c, t.domain()), dns::records);
        PrintWriter out = spec.commandLine().getOut();
        checked.forEach(r -> out.println(r.text()));
        out.flush();
        return checked.stream().allMatch(PublishedRecords.Checked::ok) ? 0 : 1;
    }
}
