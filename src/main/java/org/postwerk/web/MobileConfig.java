package org.postwerk.web;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.postwerk.smtp.Mailbox;

/**
 * An Apple configuration profile ({@code .mobileconfig}, a property list with one {@code com.apple.mail.managed}
 * payload) that sets up one account on iOS and macOS: {@code GET /apple/mail.mobileconfig?emailaddress=...}.
 * IMAP and submission, the preferred listener of each. The profile is <b>unsigned</b>: the device shows it as
 * "not verified" before installing it (signing needs the certificate's private key in a CMS envelope; not done).
 * Its UUIDs are derived from the address, so downloading it again replaces the installed profile.
 */
final class MobileConfig {
    static final String TYPE = "application/x-apple-aspen-config";

    private final MailEndpoints endpoints;

    MobileConfig(MailEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    Answer answer(Request r) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            return Answer.error(405, "Method not allowed");
        }
        Optional<Mailbox> address = r.param("emailaddress").flatMap(endpoints::localAddress);
        Optional<MailEndpoints.Service> imap = endpoints.of(MailEndpoints.Protocol.IMAP).stream().findFirst();
        Optional<MailEndpoints.Service> smtp = endpoints.of(MailEndpoints.Protocol.SMTP).stream().findFirst();
        if (address.isEmpty() || imap.isEmpty() || smtp.isEmpty()) {
            return Answer.NOT_FOUND;
        }
        return new Answer(200, TYPE, profile(address.get(), imap.get(), smtp.get()).getBytes(StandardCharsets.UTF_8));
    }

    String profile(Mailbox address, MailEndpoints.Service imap, MailEndpoints.Service smtp) {
        String a = Xml.escape(address.toString());
        String host = Xml.escape(endpoints.hostname());
        String id = Xml.escape(reverse(endpoints.hostname()));
        String outer = UUID.nameUUIDFromBytes(("profile:" + address).getBytes(StandardCharsets.UTF_8)).toString();
        String inner = UUID.nameUUIDFromBytes(("mail:" + address).getBytes(StandardCharsets.UTF_8)).toString();
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
                <plist version="1.0">
                <dict>
                  <key>PayloadContent</key>
                  <array>
                    <dict>
                      <key>EmailAccountDescription</key><string>%1$s</string>
                      <key>EmailAccountType</key><string>EmailTypeIMAP</string>
                      <key>EmailAddress</key><string>%1$s</string>
                      <key>IncomingMailServerAuthentication</key><string>EmailAuthPassword</string>
                      <key>IncomingMailServerHostName</key><string>%2$s</string>
                      <key>IncomingMailServerPortNumber</key><integer>%3$d</integer>
                      <key>IncomingMailServerUseSSL</key><%4$s/>
                      <key>IncomingMailServerUsername</key><string>%1$s</string>
                      <key>OutgoingMailServerAuthentication</key><string>EmailAuthPassword</string>
                      <key>OutgoingMailServerHostName</key><string>%2$s</string>
                      <key>OutgoingMailServerPortNumber</key><integer>%5$d</integer>
                      <key>OutgoingMailServerUseSSL</key><%6$s/>
                      <key>OutgoingMailServerUsername</key><string>%1$s</string>
                      <key>OutgoingPasswordSameAsIncomingPassword</key><true/>
                      <key>PayloadDisplayName</key><string>%1$s</string>
                      <key>PayloadIdentifier</key><string>%7$s.mail.%8$s</string>
                      <key>PayloadType</key><string>com.apple.mail.managed</string>
                      <key>PayloadUUID</key><string>%8$s</string>
                      <key>PayloadVersion</key><integer>1</integer>
                    </dict>
                  </array>
                  <key>PayloadDisplayName</key><string>Mail: %1$s</string>
                  <key>PayloadIdentifier</key><string>%7$s.profile.%9$s</string>
                  <key>PayloadRemovalDisallowed</key><false/>
                  <key>PayloadType</key><string>Configuration</string>
                  <key>PayloadUUID</key><string>%9$s</string>
                  <key>PayloadVersion</key><integer>1</integer>
                </dict>
                </plist>
                """.formatted(a, host, imap.port(), imap.implicitTls() ? "true" : "false", smtp.port(),
                smtp.implicitTls() ? "true" : "false", id, inner, outer);
    }

    /** {@code mail.example.org} as {@code org.example.mail}: Apple's reverse-DNS payload identifiers. */
    private static String reverse(String host) {
        String[] parts = host.split("\\.");
        StringBuilder b = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            b.append(parts[i]).append(i > 0 ? "." : "");
        }
        return b.toString();
    }
}
