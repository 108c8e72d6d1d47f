package org.postwerk.policy;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postwerk.auth.dkim.DkimResult;
import org.postwerk.auth.dkim.DkimVerifier;
import org.postwerk.auth.spf.SpfResult;
import org.postwerk.auth.spf.SpfVerifier;
import org.postwerk.config.AuthConfig;
import org.postwerk.config.Role;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.server.InboundChecks;

/**
 * Authenticates inbound mail from unauthenticated clients on the smtp role: SPF (RFC 7208) at MAIL FROM,
 * with the configured action on {@code fail}; DKIM (RFC 6376) while the content streams in; the results
 * recorded in an Authentication-Results header field (RFC 8601) under our authserv-id. Submissions from
 * logged-in users are not checked: we know them.
 */
public final class MessageAuthentication implements InboundChecks {
    private final SpfVerifier spf;
    private final DkimVerifier dkim;
    private final AuthConfig config;
    private final String authservId;

    public MessageAuthentication(SpfVerifier spf, DkimVerifier dkim, AuthConfig config, String authservId) {
        this.spf = spf;
        this.dkim = dkim;
        this.config = config;
        this.authservId = authservId;
    }

    @Override
    public Transaction begin(Client client, Optional<Mailbox> sender) {
        if (client.authUser() != null || client.role() != Role.SMTP) {
            return NONE.begin(client, sender);
        }
        SpfResult result = config.spfVerify()
                ? spf.check(client.address(), sender.map(Mailbox::toString).orElse(null), client.helo()) : null;
        return new Checked(result, config.dkimVerify() ? dkim.begin() : null);
    }

    private final class Checked implements Transaction {
        private final SpfResult spfResult; // null when SPF is not checked
        private final DkimVerifier.Check dkimCheck; // null when DKIM is not checked

        Checked(SpfResult spfResult, DkimVerifier.Check dkimCheck) {
            this.spfResult = spfResult;
            this.dkimCheck = dkimCheck;
        }

        @Override
        public Reply atMail() {
            if (spfResult == null || config.spfFail() != AuthConfig.SpfAction.REJECT) {
                return null;
            }
            return switch (spfResult.code()) {
                // RFC 7208 §8.4 and RFC 7372: 550 5.7.23; §8.6: temperror may be 451 4.4.3.
                case FAIL -> Reply.of(550, 5, 7, 23, "SPF validation failed for " + spfResult.domain());
                case TEMPERROR -> Reply.of(451, 4, 4, 3, "SPF check temporarily failed, try again later");
                default -> null;
            };
        }

        @Override
        public OutputStream content() {
            return dkimCheck == null ? OutputStream.nullOutputStream() : dkimCheck.asOutputStream();
        }

        @Override
        public Verdict atEnd() {
            List<String> results = new ArrayList<>();
            if (spfResult != null) {
                results.add(spfResult.authenticationResults());
            }
            if (dkimCheck != null) {
                results.addAll(DkimResult.authenticationResults(dkimCheck.finish()));
            }
            StringBuilder headers = new StringBuilder();
            headers.append(AuthenticationResults.header(authservId, results));
            if (spfResult != null && config.receivedSpf()) {
                headers.append("Received-SPF: ").append(spfResult.receivedSpf()).append("\r\n");
            }
            return new Verdict.Accept(headers.toString());
        }
    }
}
