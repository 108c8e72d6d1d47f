package org.postwerk.acme;

import java.io.IOException;
import java.net.http.HttpClient;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.postwerk.config.AcmeConfig;
import org.postwerk.tls.CertifiedKey;
import org.postwerk.tls.ServerCertificates;
import org.postwerk.tls.TlsContexts;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuance (RFC 8555 §7.4): log in with the kept account key (the account is made on first use, §7.3),
 * order the names, answer each pending authorization with the first configured challenge it offers, finalize
 * with a CSR for a new key, and download the chain. Blocking; the renewal thread calls it.
 */
final class AcmeIssuer {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeIssuer.class);
    /** How long the CA may take for one challenge, the order to become ready and the certificate. */
    static final Duration STEP = Duration.ofMinutes(2);

    /** What one attempt came to. */
    sealed interface Outcome permits Issued, Failed {}

    record Issued(CertifiedKey certificate) implements Outcome {}

    record Failed(String reason) implements Outcome {}

    private final AcmeConfig config;
    private final List<String> names;
    private final AcmeFiles files;
    private final Http01Answers http01;
    private final ServerCertificates tlsAlpn01;
    private final Optional<SSLContext> trust;

    /** @param trust the context that checks the CA's HTTPS certificate; empty: the JDK's default trust */
    AcmeIssuer(AcmeConfig config, List<String> names, AcmeFiles files, Http01Answers http01,
               ServerCertificates tlsAlpn01, Optional<SSLContext> trust) {
        this.config = config;
        this.names = List.copyOf(names);
        this.files = files;
        this.http01 = http01;
        this.tlsAlpn01 = tlsAlpn01;
        this.trust = trust;
    }

    Outcome issue() {
        try {
            Account account = account();
            Order order = account.newOrder().domains(names).create();
            for (Authorization auth : order.getAuthorizations()) {
                if (auth.getStatus() != Status.VALID) {
                    Optional<String> problem = authorize(auth);
                    if (problem.isPresent()) {
                        return new Failed(problem.get());
                    }
                }
            }
            if (order.waitUntilReady(STEP) != Status.READY) {
                return new Failed("order not ready: " + order.getStatus() + order.getError().map(e -> " " + e).orElse(""));
            }
            // A new key for every certificate: a renewal also replaces a key that may have leaked.
            KeyPair key = AcmeFiles.rsa2048();
            order.execute(key);
            if (order.waitForCompletion(STEP) != Status.VALID) {
                return new Failed("order " + order.getStatus() + order.getError().map(e -> ": " + e).orElse(""));
            }
            CertifiedKey issued = CertifiedKey.of(order.getCertificate().getCertificateChain(), key.getPrivate());
            files.store(issued);
            return new Issued(issued);
        } catch (AcmeException | IOException e) {
            return new Failed(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed("interrupted");
        }
    }

    private Account account() throws AcmeException, IOException {
        Session session = new Session(config.directory(), new Provider(trust));
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(files.accountKeyPair());
        config.email().ifPresent(builder::addEmail);
        return builder.create(session); // finds the existing account of this key (RFC 8555 §7.3.1)
    }

    /** Answers one authorization; empty when it became valid, else why not. */
    private Optional<String> authorize(Authorization auth) throws AcmeException, InterruptedException, IOException {
        String name = auth.getIdentifier().getDomain();
        List<String> offered = new ArrayList<>();
        for (Challenge c : auth.getChallenges()) {
            offered.add(c.getType());
        }
        // TLS-ALPN-01 first when both are configured: it needs only the HTTPS port, which also serves MTA-STS.
        if (config.challenges().contains(AcmeConfig.Challenge.TLS_ALPN_01)) {
            Optional<TlsAlpn01Challenge> c = auth.findChallenge(TlsAlpn01Challenge.class);
            if (c.isPresent()) {
                // Made here, not by acme4j, which would need Bouncy Castle registered as a JCA provider.
                tlsAlpn01.putChallenge(name, TlsContexts.acmeChallenge(name, c.get().getAcmeValidation()));
                try {
                    return validate(name, c.get());
                } finally {
                    tlsAlpn01.removeChallenge(name);
                }
            }
        }
        if (config.challenges().contains(AcmeConfig.Challenge.HTTP_01)) {
            Optional<Http01Challenge> c = auth.findChallenge(Http01Challenge.class);
            if (c.isPresent()) {
                http01.put(c.get().getToken(), c.get().getAuthorization());
                try {
                    return validate(name, c.get());
                } finally {
                    http01.remove(c.get().getToken());
                }
            }
        }
        return Optional.of(name + ": no configured challenge among those offered " + offered);
    }

    private Optional<String> validate(String name, Challenge c) throws AcmeException, InterruptedException {
        c.trigger();
        Status status = c.waitForCompletion(STEP);
        LOG.info("event=acme-challenge name={} type={} status={}", name, c.getType(), status);
        return status == Status.VALID ? Optional.empty()
                : Optional.of(name + ": " + c.getType() + " " + status + c.getError().map(e -> ": " + e).orElse(""));
    }

    /** The generic provider, with our trust for the CA's HTTPS (a private or test CA such as pebble's). */
    private static final class Provider extends GenericAcmeProvider {
        private final Optional<SSLContext> trust;

        Provider(Optional<SSLContext> trust) {
            this.trust = trust;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    HttpClient.Builder b = super.createClientBuilder();
                    trust.ifPresent(b::sslContext);
                    return b;
                }
            };
        }
    }
}
