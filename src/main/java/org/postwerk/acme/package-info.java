/**
 * ACME certificates (RFC 8555) through acme4j: the account key and the issued certificate kept under
 * {@code data_dir/acme}, the HTTP-01 and TLS-ALPN-01 (RFC 8737) challenge answers handed to the web listeners,
 * and the background renewal. Serves nothing itself: the TLS listeners pick the certificate file up
 * ({@code tls.PemCertificate}); never touches the operator's own certificate files.
 */
package org.postwerk.acme;
