/**
 * TLS for the listeners and the outbound client: server contexts from PEM files or a self-signed bootstrap
 * certificate, the protocol and cipher policy (TLS 1.2 and 1.3, AEAD with forward secrecy only), wrapping an
 * accepted plain socket for STARTTLS or implicit TLS, and the negotiated session as a value for logs and
 * Received headers. Knows nothing about SMTP; never reads or writes application data.
 */
package org.postwerk.tls;
