/**
 * Accepting connections for every protocol: {@link org.postwerk.net.Listener} (one virtual thread per session,
 * accepted on a platform thread), the shared {@link org.postwerk.net.ConnectionLimiter} (totals, per client and
 * per network, stress mode, failed logins per client), session ids and the TLS upgrade seam. Knows nothing
 * about SMTP, IMAP or POP3: a protocol plugs in a {@link org.postwerk.net.Session} factory.
 */
package org.postwerk.net;
