/**
 * DKIM (RFC 6376, updated by RFC 8301 and RFC 8463): pure parsers for signatures and key records, body and header
 * canonicalisation, a streaming {@link org.postwerk.auth.dkim.DkimVerifier} the SMTP server feeds while it
 * receives, and a streaming {@link org.postwerk.auth.dkim.DkimSigner} for outgoing mail.
 * Only message authentication: no SMTP replies and no policy (what to do with a fail is DMARC's or the caller's).
 * The header model, canonicalisation, key checks and crypto are public for {@code org.postwerk.auth.arc} (ARC is
 * DKIM-shaped, RFC 8617 §4.1.2); nothing else should reach in.
 * All DNS goes through {@link org.postwerk.dns.Resolver}; keys on disk are read by {@link org.postwerk.auth.dkim.DkimKeys}.
 */
package org.postwerk.auth.dkim;
