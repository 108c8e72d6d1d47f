package org.postwerk.delivery;

import org.postwerk.smtp.Reply;
import org.postwerk.sts.StsPolicy;
import org.postwerk.tls.TlsResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MTA-STS policy of one destination domain as delivery applies it (RFC 8461 §4): which MX hosts may be
 * tried, and what a failed verification does. In {@code enforce} a failure makes the host's outcome a deferral
 * with a reason that names it (the message waits; §4.2: temporary, never a bounce); in {@code testing} it is
 * logged and reported, and delivery goes on as without a policy. Every result goes to {@link TlsResults}.
 * {@code required}: the message has REQUIRETLS (RFC 8689 §4.2.1), so even a {@code testing} policy is held to.
 */
record StsGuard(String domain, StsPolicy policy, TlsResults results, boolean required) {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.delivery");

    static final Reply MX_NOT_IN_POLICY = Reply.of(451, 4, 7, 0, "MX host not in the domain's MTA-STS policy");
    static final Reply NO_STARTTLS = Reply.of(451, 4, 7, 10, "MTA-STS: MX host does not offer STARTTLS");
    static final Reply BAD_CERTIFICATE = Reply.of(451, 4, 7, 5, "MTA-STS: certificate does not validate");

    boolean enforce() {
        return policy.mode() == StsPolicy.Mode.ENFORCE || required;
    }

    /** §4.1: {@code host} is one of the policy's MX patterns. */
    boolean allows(String host) {
        return policy.matches(host);
    }

    /** The host is not in the policy: the deferral for enforce (testing: logged, and null). */
    Outcome mxRefused(String host) {
        return refused(new Hop(host, null, null), TlsResults.Failure.VALIDATION_FAILURE,
                MX_NOT_IN_POLICY.withText("MX host " + host + " not in the MTA-STS policy of " + domain),
                "not in the policy's mx list " + policy.mx());
    }

    /** The host offered no STARTTLS, or refused it. */
    Outcome noTls(Hop hop) {
        return refused(hop, TlsResults.Failure.STARTTLS_NOT_SUPPORTED,
                NO_STARTTLS.withText("MTA-STS: " + hop.host() + " does not offer STARTTLS"), "no STARTTLS");
    }

    /** The verifying handshake failed. */
    Outcome badCertificate(Hop hop, Exception handshake) {
        TlsResults.Failure type = TlsResults.Failure.of(handshake);
        return refused(hop, type, BAD_CERTIFICATE.withText("MTA-STS: certificate of " + hop.host()
                + " does not validate (" + type.code() + ")"), String.valueOf(handshake.getMessage()));
    }

    void passed(Hop hop) {
        results.success(domain, policy.reported(), hop.host(), hop.ip());
    }

    private Outcome refused(Hop hop, TlsResults.Failure type, Reply reply, String detail) {
        LOG.warn("event=mta-sts-failure domain={} mode={} mx={} type={} reason=\"{}\"{}", domain,
                policy.mode().text(), hop.remoteMta(), type.code(), detail,
                enforce() ? "" : " action=delivering-anyway");
        results.failure(domain, policy.reported(), hop.host(), hop.ip(), type, detail);
        return enforce() ? new Outcome.Deferred(Outcome.ours(reply), hop) : null;
    }
}
