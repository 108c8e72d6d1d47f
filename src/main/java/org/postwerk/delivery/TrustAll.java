package org.postwerk.delivery;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The TLS context for opportunistic STARTTLS (RFC 7435): encrypt when we can, accept any certificate, because
 * the alternative is plain text, not a verified connection. Require-TLS routes use a verifying context instead.
 */
final class TrustAll {
    private TrustAll() {}

    static SSLContext context() {
        TrustManager tm = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
                // opportunistic: any certificate
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // opportunistic: any certificate
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {tm}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }
}
