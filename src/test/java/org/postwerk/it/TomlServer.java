package org.postwerk.it;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.postwerk.Postwerk;
import org.postwerk.account.AccountEditor;
import org.postwerk.account.AccountSettings;
import org.postwerk.account.AccountStore;
import org.postwerk.config.ConfigLoader;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.testkit.SmtpScript;
import org.postwerk.testkit.TestDnsServer;

/**
 * The whole server from configuration text, as an operator writes it, with one smtp listener on a free
 * loopback port. Tests built on it use only the file format and SMTP, so they run against any version.
 */
final class TomlServer {
    private TomlServer() {}

    /**
     * A server for {@code example.test} (postmaster alice) asking {@code dns} only, with these relay networks
     * (TOML array text) and {@code more} settings after the {@code [dns]} section.
     */
    static Postwerk start(Path dir, String relayNetworks, TestDnsServer dns, String more) throws Exception {
        return start(dir, """
                hostname = "mx.example.test"
                data_dir = "data"
                local_domains = ["example.test"]
                relay_networks = %s
                [smtp]
                postmaster = "alice@example.test"
                [dns]
                servers = ["%s:%d"]
                timeout = "2s"
                """.formatted(relayNetworks, dns.address().getAddress().getHostAddress(), dns.address().getPort())
                + more);
    }

    static Postwerk start(Path dir, String toml) throws Exception {
        return start(dir, toml, List.of(new ListenerConfig(Role.SMTP,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), false)));
    }

    /** The same with these listeners instead (a configuration file cannot ask for port 0). */
    static Postwerk start(Path dir, String toml, List<ListenerConfig> listeners) throws Exception {
        return Postwerk.start(ConfigLoader.parse(toml, dir, "test").withListeners(listeners));
    }

    /** The accounts of {@code dir/data}, with the user alice@example.test in them. */
    static AccountEditor alice(Path dir) throws Exception {
        AccountEditor accounts = new AccountEditor(new AccountStore(dir.resolve("data/accounts"),
                AccountSettings.of(Set.of("example.test"))));
        accounts.addUser("alice@example.test", "correct horse battery".toCharArray());
        return accounts;
    }

    static SmtpScript connect(Postwerk server, String helo) throws Exception {
        SmtpScript s = SmtpScript.connect(server.listeners().getFirst().address());
        s.expect("220 .*").send("EHLO " + helo).expect("250 .*");
        return s;
    }
}
