/**
 * ARC, the Authenticated Received Chain (RFC 8617): {@link org.postwerk.auth.arc.ArcVerifier} validates the chain
 * of a received message while it streams past, {@link org.postwerk.auth.arc.ArcSealer} adds our ARC set to a
 * message we forward. Built on {@code org.postwerk.auth.dkim} (canonicalisation, key lookup, crypto): nothing of
 * DKIM is written twice here. Only message authentication: no SMTP replies and no policy (what a receiver does
 * with arc=pass, e.g. overriding a DMARC fail, is the caller's decision).
 */
package org.postwerk.auth.arc;
