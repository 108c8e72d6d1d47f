package org.postwerk.tls;

import java.security.SecureRandom;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The HTTPS listener's context: the JDK's HTTP server makes its own {@link SSLEngine}s and lets us set only their
 * {@link SSLParameters}, which cannot say "acme-tls/1 when offered, else no ALPN" (a server protocol list makes
 * the JDK refuse every client that offers none of it, RFC 7301 §3.2). So this context hands out engines with an
 * ALPN selector set: {@code acme-tls/1} while a TLS-ALPN-01 challenge is pending and the client offers it
 * (RFC 8737 §3), otherwise no ALPN, as before.
 */
final class AcmeAlpnContext extends SSLContext {
    private AcmeAlpnContext(SSLContextSpi spi, SSLContext delegate) {
        super(spi, delegate.getProvider(), delegate.getProtocol());
    }

    static SSLContext wrap(SSLContext delegate, ServerCertificates certificates) {
        BiFunction<SSLEngine, List<String>, String> selector = (engine, offered) ->
                certificates.challengePending() && offered.contains(ServerCertificates.ACME_TLS_1)
                        ? ServerCertificates.ACME_TLS_1 : "";
        return new AcmeAlpnContext(new Spi(delegate, selector), delegate);
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext delegate;
        private final BiFunction<SSLEngine, List<String>, String> selector;

        Spi(SSLContext delegate, BiFunction<SSLEngine, List<String>, String> selector) {
            this.delegate = delegate;
            this.selector = selector;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw new UnsupportedOperationException("initialised already");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return delegate.getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return delegate.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return withSelector(delegate.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return withSelector(delegate.createSSLEngine(host, port));
        }

        private SSLEngine withSelector(SSLEngine engine) {
            engine.setHandshakeApplicationProtocolSelector(selector);
            return engine;
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return delegate.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return delegate.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return delegate.getDefaultSSLParameters();
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return delegate.getSupportedSSLParameters();
        }
    }
}
