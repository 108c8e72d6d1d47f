package org.postwerk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.config.Config;
import org.postwerk.config.ConfigException;
import org.postwerk.config.ListenerConfig;
import org.postwerk.config.Role;
import org.postwerk.dane.Tlsa;
import org.postwerk.sts.PublishedPolicy;
import org.postwerk.tls.TlsContexts;
import org.postwerk.web.MailEndpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code postwerk dns DOMAIN}: the DNS records that let other servers deliver to and trust mail from this one
 * (MX, SPF, a DKIM key record per selector, DMARC and TLS-RPT with reports to postmaster) and that let mail
 * clients find it from an address alone, as
 * zone-file lines for the operator to publish: {@code autoconfig.DOMAIN} (Thunderbird) and
 * {@code autodiscover.DOMAIN} (Outlook) pointing at the host, and the RFC 6186 SRV records with RFC 8314's
 * {@code _submissions._tcp}, implicit TLS preferred (the lower priority), IMAP before POP3, and a "." target for
 * what is not offered (RFC 6186 §4); the MTA-STS host and TXT record (RFC 8461 §3) for the policy the web
 * listener serves; and the DANE TLSA record of the host's certificate (RFC 7672). Ports are those of the
 * configured listeners.
 */
@Command(name = "dns", mixinStandardHelpOptions = true, subcommands = DnsCheckCommand.class,
        description = "Print the DNS records to publish for DOMAIN ('dns check DOMAIN' compares them with DNS).")
public final class DnsCommand implements Callable<Integer> {
    private static final int TTL = 3600;

    @Mixin
    private ConfigOptions config;

    // Optional to picocli only so that 'dns check DOMAIN' parses (a required parent parameter would be missing).
    @Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "A local domain.")
    private String domain;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        if (domain == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'DOMAIN'");
        }
        Target t = Target.of(config, domain, spec);
        if (t == null) {
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        records(t.config(), t.domain()).forEach(out::println);
        out.flush();
        return 0;
    }

    /** The configuration and a local domain in canonical form, for {@code dns} and {@code dns check}. */
    record Target(Config config, String domain) {
        /** Null when the configuration is bad or the domain not local, after saying so on stderr. */
        static Target of(ConfigOptions options, String domain, CommandSpec spec) {
            Config c;
            try {
                c = options.load();
            } catch (ConfigException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return null;
            }
            String d = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
            if (!c.localDomains().contains(d)) {
                spec.commandLine().getErr().println(spec.qualifiedName() + ": " + d + " is not one of local_domains "
                        + c.localDomains());
                return null;
            }
            return new Target(c, d);
        }
    }

    /** The zone-file lines for one local domain. */
    static List<String> records(Config c, String domain) {
        String host = c.hostname() + ".";
        List<String> lines = new ArrayList<>();
        mailRecords(lines, c, domain);
        lines.add("; Mail client auto-configuration for " + domain + " (publish in its zone). The host " + host
                + " needs A/AAAA records");
        lines.add("; and a certificate for its name, autoconfig." + domain + " and autodiscover." + domain + ".");
        lines.add(record("autoconfig." + domain, "CNAME", host)
                + " ; Thunderbird: https://autoconfig." + domain + "/mail/config-v1.1.xml");
        lines.add(record("autodiscover." + domain, "CNAME", host)
                + " ; Outlook: https://autodiscover." + domain + "/autodiscover/autodiscover.xml");
        int https = c.listeners().stream().filter(l -> l.role() == Role.WEB).mapToInt(l -> l.address().getPort())
                .findFirst().orElse(-1);
        lines.add(record("_autodiscover._tcp." + domain, "SRV", https < 0 ? "0 0 0 ." : "0 0 " + https + " " + host)
                + " ; Outlook, when autodiscover." + domain + " does not answer");
        MailEndpoints endpoints = MailEndpoints.of(c);
        // RFC 6186 §3.4: IMAP first (lower priority) when both are offered; RFC 8314 §5.1: implicit TLS first.
        srv(lines, domain, host, endpoints, MailEndpoints.Protocol.IMAP, "_imaps", "_imap", 0);
        srv(lines, domain, host, endpoints, MailEndpoints.Protocol.POP3, "_pop3s", "_pop3", 20);
        srv(lines, domain, host, endpoints, MailEndpoints.Protocol.SMTP, "_submissions", "_submission", 0);
        // RFC 8461 §3: the TXT record announces the policy the web listener serves; its id follows the content.
        PublishedPolicy sts = PublishedPolicy.of(c.mtaSts(), c.hostname());
        lines.add("; MTA-STS (RFC 8461), mode " + sts.policy().mode().text() + ": https://mta-sts." + domain
                + "/.well-known/mta-sts.txt needs a certificate for mta-sts." + domain + ".");
        lines.add(record("mta-sts." + domain, "CNAME", host));
        lines.add(record("_mta-sts." + domain, "TXT", "\"" + sts.record() + "\""));
        tlsa(lines, c);
        if (https != 443) {
            lines.add("; Clients ask autoconfig, autodiscover and mta-sts on port 443 (HTTPS); the web listener is "
                    + (https < 0 ? "not configured" : "on port " + https) + ": forward 443 to it.");
        }
        boolean loopback = c.listeners().stream().map(ListenerConfig::address)
                .allMatch(a -> a.getAddress().isLoopbackAddress());
        if (loopback) {
            lines.add("; Every listener is on a loopback address: clients elsewhere cannot reach them yet.");
        }
        return lines;
    }

    /**
     * RFC 7672 §3.1: DANE-EE {@code 3 1 1} for the current certificate's key, at {@code _25._tcp} of the host
     * (the MX). Only worth publishing in a DNSSEC-signed zone: senders ignore TLSA records that are not validated.
     */
    private static void tlsa(List<String> lines, Config c) {
        java.util.Optional<java.security.cert.X509Certificate> cert;
        try {
            cert = TlsContexts.current(c.tls().certificate(), c.dataDir().resolve("tls"));
        } catch (java.io.IOException e) {
            lines.add("; DANE: cannot read the certificate (" + e.getMessage() + "): no TLSA record.");
            return;
        }
        if (cert.isEmpty()) {
            lines.add("; DANE: no certificate yet (start the server once to make the self-signed one): no TLSA record.");
            return;
        }
        lines.add("; DANE (RFC 7672): publish only in a DNSSEC-signed zone of " + c.hostname() + "; it pins the "
                + "certificate's key, so publish the new key's record before a key change.");
        lines.add(record("_25._tcp." + c.hostname(), "TLSA", Tlsa.daneEe(cert.get()).presentation()));
    }

    /**
     * MX, SPF (RFC 7208: the MX host may send, nothing else), the DKIM key records of the keys in the data folder
     * (RFC 6376 §3.6.1), DMARC (RFC 7489 §6.3, p=none to start with, aggregate reports to postmaster) and TLS-RPT
     * (RFC 8460 §3, reports to postmaster).
     */
    private static void mailRecords(List<String> lines, Config c, String domain) {
        String host = c.hostname() + ".";
        lines.add("; Mail for " + domain + " goes to " + host + " and only it sends mail from " + domain + ".");
        lines.add(record(domain, "MX", "10 " + host));
        lines.add(record(domain, "TXT", "\"v=spf1 mx -all\""));
        try {
            for (DkimSigner.Key key : new DkimKeys(c.dataDir()).forDomain(domain)) {
                String text = DkimKeys.txtRecord(DkimKeys.publicKey(key.privateKey()));
                lines.add(record(key.selector() + "._domainkey." + domain, "TXT", DkimKeys.txtStrings(text)));
            }
        } catch (IOException | IllegalArgumentException e) {
            lines.add("; DKIM keys of " + domain + " cannot be read: " + e.getMessage());
        }
        lines.add("; DMARC: raise p to quarantine or reject once the reports show only your own mail passing.");
        lines.add(record("_dmarc." + domain, "TXT", "\"v=DMARC1; p=none; rua=mailto:postmaster@" + domain + "\""));
        lines.add(record("_smtp._tls." + domain, "TXT", "\"v=TLSRPTv1; rua=mailto:postmaster@" + domain + "\""));
    }

    private static void srv(List<String> lines, String domain, String host, MailEndpoints endpoints,
                            MailEndpoints.Protocol p, String tls, String starttls, int base) {
        for (boolean implicit : new boolean[] {true, false}) {
            String name = (implicit ? tls : starttls) + "._tcp." + domain;
            int priority = base + (implicit ? 0 : 10);
            String target = endpoints.of(p).stream().filter(s -> s.implicitTls() == implicit).findFirst()
                    .map(s -> priority + " 1 " + s.port() + " " + host).orElse("0 0 0 .");
            lines.add(record(name, "SRV", target));
        }
    }

    private static String record(String name, String type, String data) {
        return String.format(Locale.ROOT, "%-34s %d IN %-5s %s", name + ".", TTL, type, data);
    }
}
