package org.postwerk.tls;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The certificates every TLS listener serves, chosen per handshake by the name the client asks for (SNI, RFC 6066
 * §3): the first of {@code byName} that answers for it, else the first present of {@code defaults} (a client that
 * sends no name, or one we have no certificate for). The sources are suppliers that may change (a file replaced on
 * disk, a renewed ACME certificate), so one {@link SSLContext} serves for the life of the server: the HTTPS
 * listener, which keeps the context it was given, sees renewals too.
 *
 * <p>An ACME TLS-ALPN-01 challenge (RFC 8737) adds a certificate for one name, served only to a client that
 * negotiates the {@code acme-tls/1} protocol.
 */
public final class ServerCertificates {
    /** RFC 8737 §6.2. */
    public static final String ACME_TLS_1 = "acme-tls/1";

    private final List<Supplier<CertifiedKey>> byName;
    private final List<Supplier<CertifiedKey>> defaults;
    private final Map<String, CertifiedKey> challenges = new ConcurrentHashMap<>();
    private final SSLContext context;
    private final SSLContext alpnContext;

    /**
     * @param byName searched in order for a certificate that answers for the requested name
     * @param defaults the first present one serves when none answers; also searched by name after {@code byName}
     */
    public ServerCertificates(List<Supplier<CertifiedKey>> byName, List<Supplier<CertifiedKey>> defaults) {
        this.byName = List.copyOf(byName);
        this.defaults = List.copyOf(defaults);
        if (this.defaults.isEmpty()) {
            throw new IllegalArgumentException("no default certificate");
        }
        this.context = TlsContexts.context(new SniKeyManager(this));
        this.alpnContext = AcmeAlpnContext.wrap(context, this);
    }

    /** One certificate for every name. */
    public static ServerCertificates single(CertifiedKey pair) {
        return new ServerCertificates(List.of(), List.of(() -> pair));
    }

    /** The context of the mail listeners (which do not answer ACME challenges). */
    public SSLContext context() {
        return context;
    }

    /**
     * The context of the HTTPS listener: also negotiates {@code acme-tls/1} with a client that offers it while a
     * TLS-ALPN-01 challenge is pending, and no ALPN at all otherwise (as the mail listeners).
     */
    public SSLContext httpsContext() {
        return alpnContext;
    }

    /** Serves {@code certificate} to {@code acme-tls/1} clients asking for {@code name}, until removed. */
    public void putChallenge(String name, CertifiedKey certificate) {
        challenges.put(name.toLowerCase(java.util.Locale.ROOT), certificate);
    }

    public void removeChallenge(String name) {
        challenges.remove(name.toLowerCase(java.util.Locale.ROOT));
    }

    boolean challengePending() {
        return !challenges.isEmpty();
    }

    /**
     * The certificate for one handshake. A certificate whose key is not of {@code keyAlgorithm} is passed over,
     * so that the JDK may ask again for another type.
     *
     * @param serverName the SNI host name, or empty
     * @param protocol the negotiated ALPN protocol, or empty
     */
    Optional<CertifiedKey> choose(Optional<String> serverName, Optional<String> protocol, String keyAlgorithm) {
        if (protocol.filter(ACME_TLS_1::equals).isPresent()) {
            // RFC 8737 §3: only the challenge certificate, and only for the name being validated.
            return serverName.map(n -> challenges.get(n.toLowerCase(java.util.Locale.ROOT)));
        }
        if (serverName.isPresent()) {
            Optional<CertifiedKey> named = first(serverName.get());
            if (named.isPresent()) {
                // The first certificate that names the host, even when the JDK asks for another key type first
                // (EC, then RSA): a later one, such as the self-signed bootstrap, must not take over.
                return named.filter(c -> fits(c, keyAlgorithm));
            }
        }
        for (Supplier<CertifiedKey> s : defaults) {
            CertifiedKey c = s.get();
            if (c != null) {
                return fits(c, keyAlgorithm) ? Optional.of(c) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The first certificate, in order of preference, that answers for {@code host}. */
    private Optional<CertifiedKey> first(String host) {
        for (List<Supplier<CertifiedKey>> list : List.of(byName, defaults)) {
            for (Supplier<CertifiedKey> s : list) {
                CertifiedKey c = s.get();
                if (c != null && c.answersFor(host)) {
                    return Optional.of(c);
                }
            }
        }
        return Optional.empty();
    }

    /** "EC", "RSA", ... as JSSE names key types; "EC_EC"-style TLS 1.2 names start with it. */
    private static boolean fits(CertifiedKey c, String keyAlgorithm) {
        return keyAlgorithm != null && keyAlgorithm.startsWith(c.key().getAlgorithm());
    }
}
