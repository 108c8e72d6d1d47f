package org.postwerk.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.postwerk.dane.Security;
import org.postwerk.dane.TlsaLookup;
import org.postwerk.dns.Resolver;
import org.postwerk.queue.Envelope;
import org.postwerk.queue.Recipient;
import org.postwerk.smtp.Reply;
import org.postwerk.smtp.client.SmtpClient;
import org.postwerk.smtp.TlsRequirement;
import org.postwerk.sts.Policies;
import org.postwerk.sts.StsPolicy;
import org.postwerk.tls.TlsResults;
import org.postwerk.tls.ClientTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote delivery over SMTP: resolves the destination ({@link Targets}), tries hosts and addresses in order
 * until one greets us with 2xx (RFC 5321 §5.1: next host on connection failure or 4xx/5xx greeting), then runs
 * one transaction for all recipients ({@link Transaction}). Idle connections are kept for the next message to
 * the same destination ({@link ConnectionPool}).
 */
public final class MxCourier implements Courier, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("postwerk.delivery");

    static final int RCPTS_PER_TRANSACTION = 100;
    static final Reply CONNECT_FAILED = Reply.of(451, 4, 4, 1, "No answer from host");
    static final Reply NO_ROUTE = Reply.of(550, 5, 4, 4, "Unable to route: no address for the destination");
    static final Reply CONNECTION_LOST = Reply.of(451, 4, 4, 2, "Connection lost");
    static final Reply NO_AUTHENTICATED_MX = Reply.of(550, 5, 7, 30,
            "REQUIRETLS support required: the destination publishes no MTA-STS policy to authenticate its MX hosts");

    private final Targets targets;
    private final MxSettings settings;
    private final ClientTls opportunistic;
    private final ConnectionPool pool;
    private final Policies policies;
    private final TlsaLookup dane;
    private final TlsResults results;

    /** Without MTA-STS. */
    public MxCourier(Resolver resolver, MxSettings settings, List<RouteSettings> overrides) {
        this(resolver, settings, overrides, null, TlsResults.NONE);
    }

    /**
     * @param policies MTA-STS policies of destination domains (null: none are looked up); their MX hosts'
     *                 certificates are checked with {@link MxSettings#verifiedTls()}
     * @param results  where each TLS result under a policy goes (TLS reporting)
     */
    public MxCourier(Resolver resolver, MxSettings settings, List<RouteSettings> overrides, Policies policies,
                     TlsResults results) {
        this(resolver, settings, overrides, policies, null, results);
    }

    /**
     * @param dane the DNSSEC-aware lookups for DANE (null: no DANE); DANE takes precedence over MTA-STS for a
     *             host that has it (RFC 8461 §2)
     */
    public MxCourier(Resolver resolver, MxSettings settings, List<RouteSettings> overrides, Policies policies,
                     TlsaLookup dane, TlsResults results) {
        this.targets = new Targets(resolver, overrides, new SecureRandom());
        this.settings = settings;
        this.opportunistic = ClientTls.opportunistic();
        this.pool = new ConnectionPool(settings.reuseIdle());
        this.policies = policies;
        this.dane = dane;
        this.results = results;
    }

    @Override
    public List<Outcome> deliver(Envelope envelope, List<Recipient> recipients, Path message) {
        // RFC 5321 §4.5.3.1.8: a server need only take 100 recipients per transaction; send batches of that size
        // (the second and later batches reuse the connection through the pool).
        List<Outcome> out = new java.util.ArrayList<>(recipients.size());
        for (int i = 0; i < recipients.size(); i += RCPTS_PER_TRANSACTION) {
            out.addAll(deliverBatch(envelope, recipients.subList(i,
                    Math.min(recipients.size(), i + RCPTS_PER_TRANSACTION)), message));
        }
        return out;
    }

    private List<Outcome> deliverBatch(Envelope envelope, List<Recipient> recipients, Path message) {
        String domain = recipients.getFirst().address().domainKey();
        Transaction tx = new Transaction(envelope, recipients, message);
        StsGuard sts = sts(domain, envelope.tls());
        DaneGuard guard = daneGuard(domain);
        // RFC 7672 §2.2.1: DANE applies only below a secure MX RRset; a bogus one leaves nothing to trust.
        Security mx = guard == null ? Security.INSECURE : guard.lookup().mx(domain);
        if (mx == Security.BOGUS) {
            // A plain DNS failure (or a null MX, or no such domain) keeps its own reason; only an MX RRset the
            // resolver answers but DNSSEC refuses is DANE's.
            Outcome o = targets.plan(domain) instanceof Targets.Plan.Stop stop ? stop.outcome() : guard.mxBogus();
            return java.util.Collections.nCopies(recipients.size(), o);
        }
        guard = mx == Security.SECURE ? guard : null;
        if (tx.requiresTls() && sts == null && targets.override(domain).isEmpty()) {
            // RFC 8689 §4.2.1: without an authenticated MX (MTA-STS here; DANE is not yet counted, see
            // requireTlsGuard) the message must not go. No policy is the domain's choice, not a passing fault:
            // bounce (ADR 0021).
            return java.util.Collections.nCopies(recipients.size(), new Outcome.Failed(Outcome.ours(
                    NO_AUTHENTICATED_MX), null));
        }
        // A connection opened without an enforced policy's (or DANE's, or REQUIRETLS's) checks must never carry
        // mail they cover.
        String destination = domain + (tx.requiresTls() ? " requiretls" : "") + (guard != null ? " dane" : "")
                + (sts != null && sts.enforce() ? " mta-sts" : "");
        SmtpClient reused = pool.take(destination);
        if (reused != null) {
            try {
                List<Outcome> out = tx.run(reused);
                pool.give(destination, reused);
                return out;
            } catch (IOException e) {
                reused.close(); // the idle connection went stale: fall through to a fresh one
            }
        }
        return fresh(domain, destination, tx, recipients.size(), sts, guard);
    }

    private List<Outcome> fresh(String domain, String destination, Transaction tx, int count, StsGuard sts,
                                DaneGuard daneGuard) {
        Targets.Plan plan = targets.plan(domain);
        if (plan instanceof Targets.Plan.Stop stop) {
            return java.util.Collections.nCopies(count, stop.outcome());
        }
        Targets.Plan.Hosts hosts = (Targets.Plan.Hosts) plan;
        Outcome last = null;
        boolean permanentlyUnresolvable = hosts.route() == null;
        for (String host : hosts.names()) {
            DaneGuard.Host dane = daneGuard == null ? new DaneGuard.Host.Off() : daneGuard.host(host, opportunistic);
            if (dane instanceof DaneGuard.Host.Refused r) {
                last = r.outcome(); // RFC 7672 §2.2: a bogus or failed lookup: not this host, try the next one
                permanentlyUnresolvable = false;
                continue;
            }
            DaneGuard.Host.Required daneHost = dane instanceof DaneGuard.Host.Required req ? req : null;
            if (daneHost != null && !daneHost.authenticated() && tx.requiresTls()) {
                // RFC 8689 §4.2.1: REQUIRETLS needs an authenticated MX; TLSA records that are all unusable give
                // only unauthenticated TLS, so the MTA-STS policy (verified TLS, stricter) still holds the host.
                daneHost = null;
            }
            // RFC 8461 §2: where the host has DANE, MTA-STS is not applied to it.
            StsGuard guard = daneHost != null ? null : sts;
            if (guard != null && !sts.allows(host)) {
                // RFC 8461 §4.1: enforce skips a host outside the policy; testing reports it and goes on.
                Outcome refused = sts.mxRefused(host);
                if (refused != null) {
                    last = refused;
                    permanentlyUnresolvable = false; // the policy may be fixed, or the MX records: wait
                    continue;
                }
                guard = null;
            }
            Targets.Lookup lookup = targets.addresses(host);
            if (lookup.addresses().isEmpty()) {
                permanentlyUnresolvable &= !lookup.temporary();
                last = new Outcome.Deferred(Outcome.ours(CONNECT_FAILED.withText("Cannot resolve " + host + ": "
                        + lookup.problem())), null);
                continue;
            }
            permanentlyUnresolvable = false;
            for (InetAddress a : lookup.addresses()) {
                Attempt attempt = connect(host, a, hosts.route(), true, guard, daneHost == null ? null
                        : new DaneCheck(daneGuard, daneHost), tx.requiresTls());
                if (attempt.client() == null) {
                    last = attempt.problem();
                    continue;
                }
                try {
                    List<Outcome> out = tx.run(attempt.client());
                    pool.give(destination, attempt.client());
                    return out;
                } catch (IOException e) {
                    attempt.client().close();
                    Hop hop = tx.hop(attempt.client());
                    return java.util.Collections.nCopies(count, new Outcome.Deferred(Outcome.ours(
                            CONNECTION_LOST.withText("Connection lost: " + e)), hop));
                }
            }
        }
        if (permanentlyUnresolvable) {
            last = new Outcome.Failed(Outcome.ours(NO_ROUTE), null);
        }
        return java.util.Collections.nCopies(count, last);
    }

    /**
     * The MTA-STS policy for mail to {@code domain} over MX hosts, or null. RFC 8461 is about MX hosts: an
     * explicit route is the operator's own next hop, with its own require_tls. What the sender asked decides
     * how it applies (RFC 8689): REQUIRETLS holds even a testing policy ({@link #requireTlsGuard}),
     * {@code TLS-Required: No} sets it aside (§4.2.2: TLS is still tried, opportunistically).
     */
    private StsGuard sts(String domain, TlsRequirement asked) {
        if (policies == null || targets.override(domain).isPresent() || asked == TlsRequirement.NOT_REQUIRED) {
            return null;
        }
        StsPolicy policy = policies.policy(domain).orElse(null);
        if (asked == TlsRequirement.REQUIRED) {
            return requireTlsGuard(domain, policy);
        }
        return policy == null ? null : new StsGuard(domain, policy, results, false);
    }

    /**
     * RFC 8689 §4.2.1: what authenticates the MX hosts of a REQUIRETLS message, or null when nothing does (the
     * message then fails with 5.7.30). MTA-STS in mode enforce or testing; mode none authenticates nothing.
     * DANE (RFC 7672) belongs here as the second way.
     */
    private StsGuard requireTlsGuard(String domain, StsPolicy policy) {
        if (policy == null || policy.mode() == StsPolicy.Mode.NONE) {
            return null;
        }
        return new StsGuard(domain, policy, results, true);
    }

    /** DANE for mail to {@code domain} over MX hosts, or null when off or for an explicit route (RFC 7672 §2). */
    private DaneGuard daneGuard(String domain) {
        if (dane == null || targets.override(domain).isPresent()) {
            return null;
        }
        return new DaneGuard(domain, dane, results, settings.port());
    }

    /** The DANE requirements one connection is held to. */
    private record DaneCheck(DaneGuard guard, DaneGuard.Host.Required host) {}

    /** A greeted and EHLO'd connection (TLS and AUTH as the route asks), or why there is none. */
    private record Attempt(SmtpClient client, Outcome problem) {}

    /**
     * @param sts       the policy the host must satisfy (STARTTLS with a certificate valid for {@code host}), or null
     * @param verifyTls the message has REQUIRETLS: STARTTLS with a valid certificate even on an explicit route
     */
    private Attempt connect(String host, InetAddress address, RouteSettings route, boolean tryTls, StsGuard sts,
                            DaneCheck dane, boolean verifyTls) {
        int port = route != null ? route.port() : settings.port();
        InetSocketAddress target = new InetSocketAddress(address, port);
        Hop hop = new Hop(host, address.getHostAddress(), null);
        SmtpClient c;
        try {
            c = route != null && route.implicitTls()
                    ? SmtpClient.connectTls(target, host, settings.client(), settings.verifiedTls())
                    : SmtpClient.connect(target, host, settings.client());
        } catch (IOException e) {
            // No MTA answered: our finding, even though we name the host we tried.
            return new Attempt(null, new Outcome.Deferred(Outcome.ours(CONNECT_FAILED.withText("Connection to "
                    + hop.remoteMta() + " failed: " + e.getMessage())), hop));
        }
        try {
            ClientTls verified = dane != null ? dane.host().tls() : settings.verifiedTls();
            Outcome problem = new Session(c, route, verified, opportunistic, tryTls,
                    sts != null || dane != null || verifyTls).open();
            if (problem != null) {
                c.close();
                if (dane != null && Session.tlsMissing(problem)) {
                    return new Attempt(null, dane.guard().noTls(dane.host(), hop));
                }
                if (sts != null && Session.tlsMissing(problem)) {
                    return stsRefused(sts.noTls(hop), host, address, route, verifyTls);
                }
                return new Attempt(null, problem);
            }
            if (sts != null) {
                sts.passed(hop);
            }
            if (dane != null) {
                dane.guard().passed(dane.host(), hop);
            }
            return new Attempt(c, null);
        } catch (javax.net.ssl.SSLException e) {
            c.close();
            if (dane != null) {
                // RFC 7672 §2.2: never fall back to plain text, nor to an unauthenticated session.
                return new Attempt(null, dane.guard().badCertificate(dane.host(), hop, e));
            }
            if (sts != null) {
                return stsRefused(sts.badCertificate(hop, e), host, address, route, verifyTls);
            }
            if (tryTls && !verifyTls && (route == null || !route.requireTls())) {
                // RFC 7435 §5: opportunistic TLS that fails falls back to plain text, not to no delivery.
                LOG.info("STARTTLS with {} failed ({}): trying again without TLS", hop.remoteMta(), e.getMessage());
                return connect(host, address, route, false, null, null, false);
            }
            return new Attempt(null, new Outcome.Deferred(Outcome.ours(CONNECTION_LOST.withText("TLS with "
                    + hop.remoteMta() + " failed: " + e.getMessage())), hop));
        } catch (IOException e) {
            c.close();
            return new Attempt(null, new Outcome.Deferred(Outcome.ours(CONNECTION_LOST.withText("Session with "
                    + hop.remoteMta() + " failed: " + e.getMessage())), hop));
        }
    }

    /** Enforce: the host's deferral. Testing: the failure was reported; deliver as without a policy. */
    private Attempt stsRefused(Outcome deferred, String host, InetAddress address, RouteSettings route,
                               boolean verifyTls) {
        return deferred != null ? new Attempt(null, deferred)
                : connect(host, address, route, true, null, null, verifyTls);
    }

    @Override
    public void close() {
        pool.close();
    }
}
