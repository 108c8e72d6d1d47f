/**
 * SPF (RFC 7208): {@link org.postwerk.auth.spf.SpfRecord#parse} turns a TXT record into terms (pure), and
 * {@link org.postwerk.auth.spf.SpfVerifier} evaluates them for a client and sender into a closed
 * {@link org.postwerk.auth.spf.SpfResult}, which also renders Received-SPF and Authentication-Results text.
 * Only message authentication: no SMTP replies, no policy decisions (what to do with a fail is the caller's).
 * All DNS goes through {@link org.postwerk.dns.Resolver}.
 */
package org.postwerk.auth.spf;
