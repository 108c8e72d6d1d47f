package org.postwerk.web;

import java.util.Optional;
import org.postwerk.smtp.Mailbox;

/**
 * Thunderbird's autoconfig document ({@code clientConfig} version 1.1, as the Mozilla ISP database serves it):
 * {@code GET /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=...} and {@code /mail/config-v1.1.xml}
 * on {@code autoconfig.DOMAIN}. The user name is Thunderbird's {@code %EMAILADDRESS%} placeholder (our accounts
 * log in with their address), so nothing of the request is written into the answer but the domain, after it
 * was found among ours. Authentication is {@code password-cleartext}: PLAIN, only ever inside TLS.
 */
final class Autoconfig {
    private final MailEndpoints endpoints;

    Autoconfig(MailEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    Answer answer(Request r) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return Answer.error(405, "Method not allowed");
        }
        Optional<String> domain = domain(r);
        return domain.isEmpty() ? Answer.NOT_FOUND : Answer.xml(document(domain.get()));
    }

    /** The domain asked about: from {@code emailaddress}, else from a Host of {@code autoconfig.DOMAIN}. */
    private Optional<String> domain(Request r) {
        Optional<String> address = r.param("emailaddress");
        if (address.isPresent()) {
            return endpoints.localAddress(address.get()).map(Mailbox::domain);
        }
        String host = r.host().startsWith("autoconfig.") ? r.host().substring("autoconfig.".length()) : r.host();
        return endpoints.isLocal(host) ? Optional.of(host) : Optional.empty();
    }

    String document(String domain) {
        String d = Xml.escape(domain.toLowerCase(java.util.Locale.ROOT));
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<clientConfig version=\"1.1\">\n");
        x.append("  <emailProvider id=\"").append(d).append("\">\n");
        x.append("    <domain>").append(d).append("</domain>\n");
        x.append("    <displayName>").append(d).append("</displayName>\n");
        x.append("    <displayShortName>").append(d).append("</displayShortName>\n");
        for (MailEndpoints.Protocol p : new MailEndpoints.Protocol[] {MailEndpoints.Protocol.IMAP,
            MailEndpoints.Protocol.POP3, MailEndpoints.Protocol.SMTP}) {
            String element = p == MailEndpoints.Protocol.SMTP ? "outgoingServer" : "incomingServer";
            for (MailEndpoints.Service s : endpoints.of(p)) {
                x.append("    <").append(element).append(" type=\"").append(p.name().toLowerCase(java.util.Locale.ROOT))
                        .append("\">\n");
                x.append("      <hostname>").append(Xml.escape(endpoints.hostname())).append("</hostname>\n");
                x.append("      <port>").append(s.port()).append("</port>\n");
                x.append("      <socketType>").append(s.implicitTls() ? "SSL" : "STARTTLS").append("</socketType>\n");
                x.append("      <authentication>password-cleartext</authentication>\n");
                x.append("      <username>%EMAILADDRESS%</username>\n");
                x.append("    </").append(element).append(">\n");
            }
        }
        x.append("  </emailProvider>\n</clientConfig>\n");
        return x.toString();
    }
}
