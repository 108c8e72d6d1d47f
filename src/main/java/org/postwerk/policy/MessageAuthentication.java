package org.postwerk.policy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.postwerk.auth.AuthResults;
import org.postwerk.auth.arc.ArcResult;
import org.postwerk.auth.arc.ArcSealer;
import org.postwerk.auth.arc.ArcVerifier;
import org.postwerk.auth.dkim.DkimKeys;
import org.postwerk.auth.dkim.DkimSigner;
import org.postwerk.io.SpillBuffer;
import org.postwerk.auth.dkim.DkimResult;
import org.postwerk.auth.dkim.DkimVerifier;
import org.postwerk.auth.dmarc.Disposition;
import org.postwerk.auth.dmarc.DkimOutcome;
import org.postwerk.auth.dmarc.DmarcInput;
import org.postwerk.auth.dmarc.DmarcReportStore;
import org.postwerk.auth.dmarc.DmarcResult;
import org.postwerk.auth.dmarc.DmarcVerifier;
import org.postwerk.auth.dmarc.Enforcement;
import org.postwerk.auth.dmarc.FromDomain;
import org.postwerk.auth.dmarc.ReportRow;
import org.postwerk.auth.dmarc.SpfOutcome;
import org.postwerk.auth.spf.SpfResult;
import org.postwerk.auth.spf.SpfVerifier;
import org.postwerk.config.AuthConfig;
import org.postwerk.config.Role;
import org.postwerk.smtp.Mailbox;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.server.InboundChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates inbound mail from unauthenticated clients on the smtp role: SPF (RFC 7208) at MAIL FROM with
 * the configured action on {@code fail}; DKIM (RFC 6376) while the content streams in; DMARC (RFC 7489) at
 * the end, enforced as configured (reject, Junk folder, or only recorded) and kept for aggregate reports. All
 * results go into one Authentication-Results header field (RFC 8601) under our authserv-id. Mail from
 * logged-in users is not checked: we know who sent it.
 */
public final class MessageAuthentication implements InboundChecks {
    private static final Logger LOG = LoggerFactory.getLogger(MessageAuthentication.class);
    /** Where a DMARC quarantine delivers (Maildir++ folder, as Dovecot names it). */
    static final String JUNK = "Junk";

    /**
     * The verifiers, where DMARC results are kept ({@code reports} may be null: not kept) and the keys that
     * ARC-seal forwarded mail (those of the forwarding domain, {@code DATA/dkim/DOMAIN/}).
     */
    public record Verifiers(SpfVerifier spf, DkimVerifier dkim, DmarcVerifier dmarc, ArcVerifier arc,
                            DkimKeys sealKeys, DmarcReportStore reports) {}

    private final Verifiers verifiers;
    private final AuthConfig config;
    private final String authservId;

    public MessageAuthentication(Verifiers verifiers, AuthConfig config, String authservId) {
        this.verifiers = verifiers;
        this.config = config;
        this.authservId = authservId;
    }

    @Override
    public Transaction begin(Client client, Optional<Mailbox> sender) {
        if (client.authUser() != null || client.role() != Role.SMTP) {
            return NONE.begin(client, sender);
        }
        SpfResult spf = config.spfVerify() ? verifiers.spf().check(client.address(),
                sender.map(Mailbox::toString).orElse(null), client.helo()) : null;
        return new Checked(client.address(), spf, config.dkimVerify() ? verifiers.dkim().begin() : null,
                config.dkimVerify() ? verifiers.arc().begin() : null);
    }

    private final class Checked implements Transaction {
        private final InetAddress client;
        private final SpfResult spfResult; // null when SPF is not checked
        private final DkimVerifier.Check dkimCheck; // null when DKIM is not checked
        private final ArcVerifier.Check arcCheck; // null when DKIM (and so ARC) is not checked
        private final DmarcFields fields = new DmarcFields();
        private ArcResult arcResult = ArcResult.NONE;
        private List<String> results = List.of();

        Checked(InetAddress client, SpfResult spfResult, DkimVerifier.Check dkimCheck, ArcVerifier.Check arcCheck) {
            this.client = client;
            this.spfResult = spfResult;
            this.dkimCheck = dkimCheck;
            this.arcCheck = arcCheck;
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
            if (dkimCheck == null) {
                return fields;
            }
            OutputStream dkim = dkimCheck.asOutputStream();
            OutputStream arc = arcCheck.asOutputStream();
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    dkim.write(b);
                    arc.write(b);
                    fields.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    dkim.write(b, off, len);
                    arc.write(b, off, len);
                    fields.write(b, off, len);
                }
            };
        }

        @Override
        public Verdict atEnd() {
            List<String> results = new ArrayList<>();
            if (spfResult != null) {
                results.add(spfResult.authenticationResults());
            }
            List<DkimResult> dkim = dkimCheck == null ? List.of() : dkimCheck.finish();
            if (dkimCheck != null) {
                results.addAll(DkimResult.authenticationResults(dkim));
                arcResult = arcCheck.finish();
                results.add(arcResult.authenticationResults(client.getHostAddress()));
            }
            this.results = results;
            if (config.dmarc() == AuthConfig.DmarcAction.OFF) {
                return new Verdict.Accept(headers(results));
            }
            DmarcInput input = null;
            DmarcResult dmarc = switch (FromDomain.parse(fields.from())) {
                case FromDomain.Found f -> verifiers.dmarc().check(input = new DmarcInput(f.domain(), spfOutcome(),
                        dkim.stream().map(d -> new DkimOutcome(d.domain(), d.selector(),
                                DkimOutcome.Result.valueOf(d.result().name()))).toList(), fields.messageKey()));
                case FromDomain.Missing m -> DmarcResult.unusableFrom("no From header field");
                case FromDomain.SeveralFields s -> DmarcResult.unusableFrom(s.count() + " From header fields");
                case FromDomain.SeveralMailboxes s -> DmarcResult.unusableFrom("several From mailboxes");
                case FromDomain.Unusable u -> DmarcResult.unusableFrom(u.reason());
            };
            Disposition disposition = Enforcement.valueOf(config.dmarc().name()).decide(dmarc);
            results.add(dmarc.authenticationResults(disposition));
            record(dmarc, input, disposition);
            return switch (disposition) {
                case REJECT -> new Verdict.Reject(Reply.of(550, 5, 7, 1,
                        "Rejected by the DMARC policy of " + dmarc.fromDomain()));
                case QUARANTINE -> new Verdict.Accept(headers(results), JUNK);
                case ACCEPT -> new Verdict.Accept(headers(results));
            };
        }

        private String headers(List<String> results) {
            String headers = AuthResults.field(authservId, results);
            if (spfResult != null && config.receivedSpf()) {
                headers += "Received-SPF: " + spfResult.receivedSpf() + "\r\n";
            }
            return headers;
        }

        @Override
        public String sealForForwarding(SpillBuffer content, String forwardingDomain) throws IOException {
            List<DkimSigner.Key> keys = verifiers.sealKeys().forDomain(forwardingDomain);
            if (keys.isEmpty() || results.isEmpty()) {
                return "";
            }
            ArcSealer.Sealing sealing = new ArcSealer(keys, java.time.Clock.systemUTC()).begin();
            content.writeTo(sealing.asOutputStream());
            return sealing.finish(authservId, String.join("; ", results), arcResult);
        }

        /** DMARC uses the MAIL FROM identity only (RFC 7489 §4.1); for {@code <>} that is postmaster@HELO. */
        private Optional<SpfOutcome> spfOutcome() {
            if (spfResult == null) {
                return Optional.empty();
            }
            SpfOutcome.Scope scope = spfResult.identity() == SpfResult.Identity.MAILFROM
                    ? SpfOutcome.Scope.MFROM : SpfOutcome.Scope.HELO;
            return Optional.of(new SpfOutcome(spfResult.domain(), scope,
                    SpfOutcome.Result.valueOf(spfResult.code().name())));
        }

        private void record(DmarcResult dmarc, DmarcInput input, Disposition disposition) {
            if (verifiers.reports() == null || input == null) {
                return;
            }
            ReportRow.of(dmarc, input, client, disposition).ifPresent(row -> {
                try {
                    verifiers.reports().record(row);
                } catch (IOException e) {
                    LOG.warn("DMARC report data not recorded: {}", e.toString());
                }
            });
        }
    }
}
