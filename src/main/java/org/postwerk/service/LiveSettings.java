package org.postwerk.service;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.postwerk.config.AuthConfig;
import org.postwerk.config.Config;
import org.postwerk.config.ImapConfig;
import org.postwerk.config.Limits;
import org.postwerk.config.SmtpOptions;
import org.postwerk.config.StorageConfig;

/**
 * Which settings a reload puts in force and which wait for a restart. Live: listeners, {@code relay_networks},
 * {@code [tls]}, {@code [limits]} (but the network prefixes), {@code [timeouts]}, {@code [smtp]} (but the
 * postmaster), {@code [auth]} (but the suffix list), {@code [imap]} (but connections per user),
 * {@code storage.min_free}; they apply to the sessions that begin after the reload. Everything else is built
 * into the queue, the journal, the store or the DNS client at start; docs/config.md keeps the same list.
 */
public final class LiveSettings {
    private LiveSettings() {}

    /** The configuration a reload runs with: {@code next}, but the running value of what needs a restart. */
    public static Config effective(Config running, Config next) {
        Limits l = next.limits();
        Limits limits = new Limits(l.messageSize(), l.recipients(), l.commandLine(), l.textLine(), l.connections(),
                l.connectionsPerIp(), l.errors(), l.authFailures(), l.authFailureDelay(),
                new Limits.PerNetwork(l.perNetwork().connections(), running.limits().perNetwork().ipv4Prefix(),
                        running.limits().perNetwork().ipv6Prefix()), l.stress());
        SmtpOptions s = next.smtp();
        SmtpOptions smtp = new SmtpOptions(s.vrfy(), running.smtp().postmaster(), s.senderLoginMatch(), s.bareNewline());
        AuthConfig a = next.auth();
        AuthConfig auth = new AuthConfig(a.spfVerify(), a.spfFail(), a.receivedSpf(), a.dkimVerify(), a.dmarc(),
                running.auth().publicSuffixList());
        StorageConfig r = running.storage();
        StorageConfig storage = new StorageConfig(r.journal(), r.checkpoint(), r.checkpointSize(),
                r.journalMaxMessage(), next.storage().minFree());
        ImapConfig i = next.imap();
        ImapConfig imap = new ImapConfig(i.idle(), i.login(), i.appendLimit(), i.commandSize(),
                running.imap().connectionsPerUser(), i.quota());
        return new Config(running.hostname(), running.dataDir(), running.localDomains(), next.relayNetworks(),
                next.listeners(), next.tls(), running.dns(), limits, next.timeouts(), smtp, running.queue(),
                running.routes(), auth, storage, running.login(), imap, next.pop3(), running.web(), running.log(),
                running.screen(), next.rateLimits(), running.srs(), next.milters(),
                running.mtaSts(), running.dane(), running.reports(), running.acme());
    }

    /** The settings of {@code next} that a reload leaves at their running value, by their name in the file. */
    public static List<String> needRestart(Config running, Config next) {
        Config e = effective(running, next);
        List<String> out = new ArrayList<>();
        differ(out, "hostname", e.hostname(), next.hostname());
        differ(out, "data_dir", e.dataDir(), next.dataDir());
        differ(out, "local_domains", e.localDomains(), next.localDomains());
        differ(out, "[dns]", e.dns(), next.dns());
        differ(out, "[limits] network_prefix_ipv4/ipv6", e.limits(), next.limits());
        differ(out, "smtp.postmaster", e.smtp(), next.smtp());
        differ(out, "[queue]", e.queue(), next.queue());
        differ(out, "[[route]]", e.routes(), next.routes());
        differ(out, "auth.public_suffix_list", e.auth(), next.auth());
        differ(out, "[storage] (but min_free)", e.storage(), next.storage());
        differ(out, "[login]", e.login(), next.login());
        differ(out, "imap.connections_per_user", e.imap(), next.imap());
        differ(out, "[screen], [greylist]", e.screen(), next.screen());
        differ(out, "[srs]", e.srs(), next.srs());
        differ(out, "[mta_sts]", e.mtaSts(), next.mtaSts());
        differ(out, "[dane]", e.dane(), next.dane());
        differ(out, "[reports]", e.reports(), next.reports());
        differ(out, "[acme]", e.acme(), next.acme());
        return out;
    }

    private static void differ(List<String> out, String name, Object running, Object next) {
        if (!Objects.equals(running, next)) {
            out.add(name);
        }
    }
}
