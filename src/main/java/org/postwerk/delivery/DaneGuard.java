package org.postwerk.delivery;

import java.util.List;
import java.util.Set;
import org.postwerk.dane.DaneTrust;
import org.postwerk.dane.Security;
import org.postwerk.dane.Tlsa;
import org.postwerk.dane.TlsaAnswer;
import org.postwerk.dane.TlsaLookup;
import org.postwerk.smtp.Reply;
import org.postwerk.tls.ClientTls;
import org.postwerk.tls.TlsResults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DANE for the MX hosts of one destination domain as delivery applies it (RFC 7672 §2.2). Made only when the
 * domain's MX RRset is secure; each host then gets a {@link Host}: no DANE (insecure or absent TLSA: deliver as
 * without it, MTA-STS may apply), TLS required and authenticated by usable TLSA records, TLS required without
 * authentication (only unusable records, §2.2), or refused (a bogus or failed lookup: the host is not used).
 * Every failure is a deferral that names DANE: never a bounce, never a fallback to plain text.
 */
record DaneGuard(String domain, TlsaLookup lookup, TlsResults results, int port) {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.delivery");

    static final Reply DNSSEC_FAILED = Reply.of(451, 4, 7, 5, "DANE: DNSSEC validation failed");
    static final Reply NO_STARTTLS = Reply.of(451, 4, 7, 5, "DANE: MX host does not offer STARTTLS");
    static final Reply BAD_CERTIFICATE = Reply.of(451, 4, 7, 5, "DANE: certificate does not match the TLSA records");

    /** What DANE asks of one MX host. */
    sealed interface Host {
        /** No DANE: deliver as without it. */
        record Off() implements Host {}

        /**
         * TLS required; {@code tls} authenticates by the usable records, or is opportunistic when there are none.
         */
        record Required(String host, List<Tlsa> records, ClientTls tls, boolean authenticated) implements Host {}

        /** The host must not be used. */
        record Refused(Outcome outcome) implements Host {}
    }

    /** §2.2.1: the MX RRset is bogus (or its lookup failed): no host of the domain may be trusted. */
    Outcome mxBogus() {
        return refused(null, List.of(), TlsResults.Failure.DNSSEC_INVALID,
                DNSSEC_FAILED.withText("DANE: DNSSEC validation of the MX records of " + domain + " failed"),
                "MX RRset bogus or indeterminate");
    }

    /** §2.2.2 and §2.2.3: the host's address records, then its TLSA records. */
    Host host(String host, ClientTls opportunistic) {
        Hop hop = new Hop(host, null, null);
        Security addresses = lookup.addresses(host);
        if (addresses == Security.BOGUS) {
            return new Host.Refused(refused(hop, List.of(), TlsResults.Failure.DNSSEC_INVALID,
                    DNSSEC_FAILED.withText("DANE: DNSSEC validation of the addresses of " + host + " failed"),
                    "address records bogus or indeterminate"));
        }
        if (addresses == Security.INSECURE) {
            return new Host.Off();
        }
        return switch (lookup.tlsa(host, port)) {
            case TlsaAnswer.None n -> new Host.Off();
            case TlsaAnswer.Bogus b -> new Host.Refused(refused(hop, List.of(), TlsResults.Failure.DNSSEC_INVALID,
                    DNSSEC_FAILED.withText("DANE: DNSSEC validation of the TLSA records of " + host + " failed"),
                    b.why()));
            case TlsaAnswer.Secure s -> s.usable().isEmpty()
                    ? new Host.Required(host, s.records(), opportunistic, false)
                    : new Host.Required(host, s.records(), DaneTrust.clientTls(s.usable(), Set.of(host)), true);
        };
    }

    /** §2.2: TLS is mandatory for a host with secure TLSA records. */
    Outcome noTls(Host.Required h, Hop hop) {
        return refused(hop, h.records(), TlsResults.Failure.DANE_REQUIRED,
                NO_STARTTLS.withText("DANE: " + hop.host() + " does not offer STARTTLS"), "no STARTTLS");
    }

    /**
     * The handshake failed: the certificate matched no usable record, or a DANE-TA chain or name was wrong (or,
     * with only unusable records, TLS itself failed).
     */
    Outcome badCertificate(Host.Required h, Hop hop, Exception handshake) {
        TlsResults.Failure type = failure(handshake);
        String text = h.authenticated()
                ? "DANE: certificate of " + hop.host() + " does not match its TLSA records (" + type.code() + ")"
                : "DANE: TLS with " + hop.host() + " failed, and its TLSA records make TLS mandatory";
        return refused(hop, h.records(), type, BAD_CERTIFICATE.withText(text), String.valueOf(handshake.getMessage()));
    }

    void passed(Host.Required h, Hop hop) {
        results.success(domain, policy(h.records()), hop.host(), hop.ip());
    }

    private static TlsResults.Failure failure(Throwable handshake) {
        for (Throwable t = handshake; t != null; t = t.getCause()) {
            if (t instanceof DaneTrust.NoMatch) {
                return TlsResults.Failure.TLSA_INVALID; // RFC 8460 §4.3.2.1: no record of the RRset was valid
            }
        }
        return TlsResults.Failure.of(handshake);
    }

    private static TlsResults.Policy policy(List<Tlsa> records) {
        return new TlsResults.Policy(TlsResults.Policy.Type.TLSA,
                records.stream().map(Tlsa::presentation).toList(), List.of());
    }

    /** @param hop the host (its address once connected), or null when the whole domain is refused */
    private Outcome refused(Hop hop, List<Tlsa> records, TlsResults.Failure type, Reply reply, String detail) {
        LOG.warn("event=dane-failure domain={} mx={} type={} reason=\"{}\"", domain,
                hop == null ? "-" : hop.remoteMta(), type.code(), detail);
        results.failure(domain, policy(records), hop == null ? null : hop.host(), hop == null ? null : hop.ip(),
                type, detail);
        return new Outcome.Deferred(Outcome.ours(reply), hop == null || hop.ip() == null ? null : hop);
    }
}
