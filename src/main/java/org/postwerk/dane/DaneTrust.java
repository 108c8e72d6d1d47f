package org.postwerk.dane;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.postwerk.tls.ClientTls;

/**
 * Authenticates an MX host's certificate chain with its usable TLSA records, as a trust manager for the handshake
 * (RFC 7672 §3). DANE-EE(3): the leaf matches, and nothing else is checked — no name, no expiry (§3.1.1). DANE-TA(2):
 * a certificate of the chain the server sent matches, the chain from the leaf up to it validates (signatures,
 * validity dates), and the leaf names one of the reference identifiers (§3.2.2: the MX host name, and the TLSA base
 * domain when CNAMEs made them differ).
 */
public final class DaneTrust extends X509ExtendedTrustManager {
    /** No TLSA record matched: a TLS-RPT {@code tlsa-invalid} (RFC 8460 §4.3.2.1). */
    public static final class NoMatch extends CertificateException {
        NoMatch(String message) {
            super(message);
        }
    }

    private final List<Tlsa> records;
    private final Set<String> names;

    /**
     * @param records the usable TLSA records (at least one)
     * @param names   reference identifiers for DANE-TA, lower case without trailing dot
     */
    public DaneTrust(List<Tlsa> records, Set<String> names) {
        this.records = records.stream().filter(Tlsa::usable).toList();
        if (this.records.isEmpty()) {
            throw new IllegalArgumentException("no usable TLSA record: " + records);
        }
        this.names = Set.copyOf(names);
    }

    /** A client context that authenticates by these records; the name check is ours, so the JDK's is off. */
    public static ClientTls clientTls(List<Tlsa> records, Set<String> names) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new DaneTrust(records, names)}, null);
            return new ClientTls(context, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no TLS", e);
        }
    }

    /** Accepts {@code chain} (leaf first) or says why not. */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new NoMatch("DANE: the server sent no certificate");
        }
        for (Tlsa r : records) {
            if (r.usage() == Tlsa.DANE_EE && r.matches(chain[0])) {
                return; // §3.1.1: the key is pinned; names and dates do not matter
            }
        }
        CertificateException last = null;
        for (int i = 0; i < chain.length; i++) {
            X509Certificate candidate = chain[i];
            if (records.stream().noneMatch(r -> r.usage() == Tlsa.DANE_TA && r.matches(candidate))) {
                continue;
            }
            try {
                validateUpTo(chain, i);
                checkName(chain[0]);
                return;
            } catch (CertificateException e) {
                last = e;
            }
        }
        throw last != null ? last : new NoMatch("DANE: no TLSA record matches the certificate chain");
    }

    /** RFC 7671 §5.2.2: the chain from the leaf to the matching trust anchor must validate. */
    private static void validateUpTo(X509Certificate[] chain, int anchor) throws CertificateException {
        if (anchor == 0) {
            X509Certificate leaf = chain[0];
            leaf.checkValidity();
            return;
        }
        try {
            var path = CertificateFactory.getInstance("X.509")
                    .generateCertPath(Arrays.asList(chain).subList(0, anchor));
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain[anchor], null)));
            // No CRL/OCSP fetch from a delivery thread: the domain revokes a DANE-TA by withdrawing its TLSA record.
            params.setRevocationEnabled(false);
            CertPathValidator.getInstance("PKIX").validate(path, params);
        } catch (java.security.cert.CertPathValidatorException e) {
            throw new CertificateException("DANE-TA: chain does not validate: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("DANE-TA: " + e.getMessage(), e);
        }
    }

    /** RFC 7672 §3.2.3: DNS-ID (subjectAltName dNSName, "*." only as a whole leftmost label), else the CN. */
    private void checkName(X509Certificate leaf) throws CertificateException {
        List<String> presented = HostNames.of(leaf);
        for (String p : presented) {
            for (String n : names) {
                if (HostNames.matches(p, n)) {
                    return;
                }
            }
        }
        throw new CertificateException("No name matching " + names + " in the certificate (DANE-TA): "
                + presented);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        throw new CertificateException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
