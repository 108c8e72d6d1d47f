package org.postwerk.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postwerk.config.Config;
import org.postwerk.config.ListenerConfig;
import org.postwerk.smtp.AddressParser;
import org.postwerk.smtp.Mailbox;

/**
 * What a mail client must know to use this server, from the configuration: the host name, the IMAP, POP3 and
 * submission listeners (implicit TLS first: RFC 8314 §3 prefers it), the local domains it may answer for, and
 * the HTTPS address of the web listener (for Outlook's JSON redirect).
 */
public record MailEndpoints(String hostname, List<Service> services, List<String> domains, Optional<String> webBase) {
    public enum Protocol { IMAP, POP3, SMTP }

    /** One listener a client can use; {@code implicitTls} false means STARTTLS (or STLS). */
    public record Service(Protocol protocol, int port, boolean implicitTls) {}

    public MailEndpoints {
        services = List.copyOf(services);
        domains = List.copyOf(domains);
    }

    public static MailEndpoints of(Config config) {
        List<Service> services = new ArrayList<>();
        Optional<String> web = Optional.empty();
        for (boolean implicit : new boolean[] {true, false}) {
            for (ListenerConfig l : config.listeners()) {
                Protocol p = switch (l.role()) {
                    case IMAP, IMAPS -> Protocol.IMAP;
                    case POP3, POP3S -> Protocol.POP3;
                    case SUBMISSION, SUBMISSIONS -> Protocol.SMTP;
                    default -> null;
                };
                if (p != null && l.role().implicitTls() == implicit) {
                    services.add(new Service(p, l.address().getPort(), implicit));
                }
            }
        }
        for (ListenerConfig l : config.listeners()) {
            if (l.role() == org.postwerk.config.Role.WEB && web.isEmpty()) {
                int port = l.address().getPort();
                web = Optional.of("https://" + config.hostname() + (port == 443 ? "" : ":" + port));
            }
        }
        return new MailEndpoints(config.hostname(), services, config.localDomains(), web);
    }

    /** The services of one protocol, preferred first. */
    public List<Service> of(Protocol p) {
        return services.stream().filter(s -> s.protocol() == p).toList();
    }

    /** True when mail for the domain is ours (case-insensitively). */
    public boolean isLocal(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        return domains.stream().anyMatch(x -> x.equalsIgnoreCase(d));
    }

    /** The address if it is a valid address (RFC 5321 syntax) in one of our domains; else empty. */
    public Optional<Mailbox> localAddress(String text) {
        if (text == null || text.length() > 254) {
            return Optional.empty();
        }
        try {
            Mailbox m = AddressParser.parseMailbox(text.strip());
            return isLocal(m.domain()) ? Optional.of(m) : Optional.empty();
        } catch (AddressParser.SyntaxError e) {
            return Optional.empty();
        }
    }
}
